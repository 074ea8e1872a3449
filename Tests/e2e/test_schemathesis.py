"""Property-based tests of the running stack against docs/openapi.yaml: schemathesis generates
requests for every operation (from the schemas, and deliberately invalid ones) and runs all of
its checks on each answer: no 5xx, a documented status, the documented content type, headers
and schema, valid bodies accepted and invalid ones refused. Every operation is run against the
session's stack (keys off) and against a stack that requires keys, where schemathesis also
sends requests without a key and with a wrong one.

The number of examples per operation is bounded (SCHEMATHESIS_MAX_EXAMPLES, default 25) so the
whole file runs in well under a minute; raise it for a longer hunt."""

from __future__ import annotations

import copy
import os
from pathlib import Path
from typing import Any

import schemathesis
import yaml
from conftest import KeyedStack
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.hooks import HookContext
from schemathesis.schemas import BaseSchema
from support.stack import Stack

SPEC_PATH = Path(__file__).resolve().parents[2] / "docs" / "openapi.yaml"
MAX_EXAMPLES = int(os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "25"))


def without_keys(document: dict[str, Any]) -> dict[str, Any]:
    """The spec as a stack without keys (the default local stack) serves it: no operation
    requires `Authorization`, so none answers 401."""
    document = copy.deepcopy(document)
    document.pop("security", None)
    for operations in document["paths"].values():
        for operation in operations.values():
            if isinstance(operation, dict):
                operation.pop("security", None)
    return document


DOCUMENT: dict[str, Any] = yaml.safe_load(SPEC_PATH.read_text())
# A batch over `maxItems` is schema-violating data the API refuses with its documented 413
# (`batch_too_large`), not one of the 4xx schemathesis expects of invalid data by default.
# An inference request's schema cannot say which tensors a model takes (its metadata does):
# a schema-valid one that names no feature of the model is a documented 400.
CONFIG = schemathesis.Config.from_dict(
    {
        "checks": {
            "negative_data_rejection": {
                "expected-statuses": [400, 401, 403, 404, 405, 406, 409, 413, 415, 422, 428, 429]
            }
        },
        "operations": [
            {
                "include-operation-id": "oipInfer",
                "checks": {"positive_data_acceptance": {"expected-statuses": [200, 400, 401, 404]}},
            }
        ],
    }
)
spec = schemathesis.openapi.from_dict(without_keys(DOCUMENT), config=CONFIG)
keyed_spec = schemathesis.openapi.from_dict(DOCUMENT, config=CONFIG)

example_settings = settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
    database=None,
)


def serving(schema: BaseSchema, *models: str) -> None:
    """Makes most cases of a path with `{name}` name a served model: random names only ever
    reach the 404, and the served models' answers need checking too."""

    @schema.hook
    def flatmap_path_parameters(
        context: HookContext, parameters: dict[str, Any] | None
    ) -> st.SearchStrategy[dict[str, Any] | None]:
        if not parameters or "name" not in parameters:
            return st.just(parameters)
        served = [{**parameters, "name": model} for model in models]
        return st.sampled_from([parameters, *served])


serving(spec, "bank-marketing")
serving(keyed_spec, "alpha", "beta")


@spec.parametrize()
@example_settings
def test_every_answer_of_the_open_stack_matches_the_spec(
    case: schemathesis.Case, stack: Stack
) -> None:
    case.call_and_validate(base_url=stack.client.base_url, timeout=10)


@keyed_spec.parametrize()
@example_settings
def test_every_answer_of_a_keyed_stack_matches_the_spec(
    case: schemathesis.Case, keyed_stack: KeyedStack
) -> None:
    headers = keyed_stack.auth() if case.operation.path != "/metrics" else {}
    case.call_and_validate(base_url=keyed_stack.stack.client.base_url, headers=headers, timeout=10)


def test_every_request_example_of_the_spec_is_answered_200(stack: Stack) -> None:
    """The examples are what people copy: each must be a request the default model answers
    (schemathesis accepts a 400 for a schema-valid inference request, so this is checked
    here)."""
    routes = {"/v2/models/{name}/infer": "/v2/models/bank-marketing/infer"}
    for path, operations in DOCUMENT["paths"].items():
        for operation in operations.values():
            if not isinstance(operation, dict):
                continue  # the path's `parameters`
            content = operation.get("requestBody", {}).get("content", {})
            for example in content.get("application/json", {}).get("examples", {}).values():
                reply = stack.client.post_json(routes.get(path, path), example["value"])
                assert reply.status == 200, f"{path}: {reply}"
