"""docs/openapi.yaml is a valid OpenAPI 3.1 document, and what the running stack answers
matches it: the request examples are accepted, and every response body (successes and
each error class) validates against the schema declared for its route and status."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate
from support.http_client import HttpClient
from support.reply import Reply

SPEC_PATH = Path(__file__).resolve().parents[2] / "docs" / "openapi.yaml"


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load(SPEC_PATH.read_text())
    return document


def response_schema(spec: dict[str, Any], path: str, method: str, status: int) -> dict[str, Any]:
    response = spec["paths"][path][method]["responses"][str(status)]
    if "$ref" in response:
        response = spec["components"]["responses"][response["$ref"].rsplit("/", 1)[-1]]
    schema: dict[str, Any] = response["content"]["application/json"]["schema"]
    return schema


def check(spec: dict[str, Any], path: str, method: str, reply: Reply) -> None:
    schema = {**response_schema(spec, path, method, reply.status), "components": spec["components"]}
    errors = sorted(Draft202012Validator(schema).iter_errors(reply.json), key=str)
    assert not errors, f"{method.upper()} {path} → {reply}: {errors[0].message}"


def test_the_document_is_valid_openapi(spec: dict[str, Any]) -> None:
    validate(spec)


def test_the_request_example_is_a_valid_client(spec: dict[str, Any], client: HttpClient) -> None:
    example = spec["paths"]["/predict"]["post"]["requestBody"]["content"]["application/json"]
    body = example["examples"]["one"]["value"]
    reply = client.post_json("/predict", body)
    assert reply.status == 200, reply
    check(spec, "/predict", "post", reply)


def test_successful_answers_match_their_schemas(
    spec: dict[str, Any], client: HttpClient, example: dict[str, Any]
) -> None:
    check(spec, "/predict", "post", client.post_json("/predict", example))
    check(spec, "/predict", "post", client.post_json("/predict", {**example, "job": "astronaut"}))
    check(spec, "/predict", "post", client.post_json("/predict", {"instances": [example] * 3}))
    check(spec, "/health", "get", client.get("/health"))
    check(spec, "/model", "get", client.get("/model"))


@pytest.mark.parametrize(
    ("name", "body", "content_type", "status"),
    [
        ("malformed JSON", b"{", "application/json", 400),
        ("wrong type", {"age": "x"}, "application/json", 400),
        ("unsupported media type", b"{}", "text/plain", 415),
        ("missing body", b"", "application/json", 411),
        ("too large for nginx", b"[" * (2 << 20), "application/json", 413),
    ],
)
def test_error_answers_match_the_error_schema(
    spec: dict[str, Any],
    client: HttpClient,
    name: str,
    body: Any,
    content_type: str,
    status: int,
) -> None:
    reply = client.post_json("/predict", body, content_type=content_type)
    assert reply.status == status, f"{name}: {reply}"
    check(spec, "/predict", "post", reply)


def test_a_wrong_method_matches_the_method_not_allowed_response(
    spec: dict[str, Any], client: HttpClient
) -> None:
    reply = client.post_json("/health", {})
    assert reply.status == 405
    assert reply.header("allow") == "GET, HEAD"
    check(spec, "/health", "get", reply)


def test_repository_keys_and_protocol_answers_match_their_schemas(
    spec: dict[str, Any], keyed_stack, example: dict[str, Any]
) -> None:
    """The routes of a repository with keys required, and the Open Inference Protocol's."""
    client = keyed_stack.stack.client
    auth = keyed_stack.auth()
    json_auth = {"Content-Type": "application/json", **auth}

    def get(path: str, headers: dict[str, str] | None = None) -> Reply:
        return client.request("GET", path, headers=auth if headers is None else headers)

    def post(path: str, body: Any, headers: dict[str, str] | None = None) -> Reply:
        import json

        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        return client.request("POST", path, data, json_auth if headers is None else headers)

    check(spec, "/models", "get", get("/models"))
    check(spec, "/models/{name}", "get", get("/models/beta"))
    check(spec, "/models/{name}", "get", get("/models/nope"))
    check(spec, "/models/{name}/predict", "post", post("/models/beta/predict", example))
    check(spec, "/models/{name}/predict", "post", post("/models/nope/predict", example))
    unauthorized = post("/predict", example, {"Content-Type": "application/json"})
    assert unauthorized.status == 401
    check(spec, "/predict", "post", unauthorized)
    check(spec, "/v2", "get", get("/v2"))
    check(spec, "/v2/health/live", "get", get("/v2/health/live", {}))
    check(spec, "/v2/health/ready", "get", get("/v2/health/ready", {}))
    check(spec, "/v2/models/{name}", "get", get("/v2/models/beta"))
    check(spec, "/v2/models/{name}", "get", get("/v2/models/nope"))
    check(spec, "/v2/models/{name}/ready", "get", get("/v2/models/beta/ready"))
    oip = spec["paths"]["/v2/models/{name}/infer"]["post"]["requestBody"]["content"][
        "application/json"
    ]
    request = oip["examples"]["two-rows"]["value"]
    full = {
        **request,
        "inputs": [
            {
                "name": key,
                "shape": [2],
                "datatype": "BYTES" if isinstance(value, str) else "FP64",
                "data": [value] * 2,
            }
            for key, value in example.items()
        ],
    }
    answer = post("/v2/models/beta/infer", full)
    assert answer.status == 200, answer
    check(spec, "/v2/models/{name}/infer", "post", answer)
    # The spec's own example names two features only: the rest are missing, a 400.
    check(spec, "/v2/models/{name}/infer", "post", post("/v2/models/beta/infer", request))
    check(spec, "/v2/models/{name}/infer", "post", post("/v2/models/beta/infer", b"{"))
    check(spec, "/v2/models/{name}/infer", "post", post("/v2/models/beta/infer", full, {}))


@pytest.mark.parametrize("path", ["/", "/ui", "/ui/app.js", "/ui/app.css"])
def test_the_page_and_its_files_have_their_declared_types(
    spec: dict[str, Any], client: HttpClient, path: str
) -> None:
    reply = client.get(path)
    assert reply.status == 200, reply
    media_type = reply.media_type
    response = spec["paths"][path]["get"]["responses"]["200"]
    if "$ref" in response:
        response = spec["components"]["responses"][response["$ref"].rsplit("/", 1)[-1]]
    assert media_type in response["content"], f"{path}: {media_type}"
    # HEAD through nginx: the same headers, the GET's length, no body.
    head = client.head(path)
    assert (head.status, head.body) == (200, b""), head
    assert head.header("content-length") == str(len(reply.body))
    assert head.header("content-type") == reply.header("content-type")
    refused = client.post_json(path, {})
    assert refused.status == 405 and refused.header("allow") == "GET, HEAD", refused
    check(spec, path, "get", refused)
