"""The Open Inference Protocol v2 REST API, spoken by the client people use with Triton:
tritonclient[http]. Answers must equal POST /predict's for the same rows."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import tritonclient.http as triton
from conftest import KeyedStack
from tritonclient.utils import InferenceServerException


@pytest.fixture(scope="module")
def client(keyed_stack: KeyedStack) -> triton.InferenceServerClient:
    stack = keyed_stack.stack
    return triton.InferenceServerClient(f"127.0.0.1:{stack.port}")


def inputs(metadata: dict[str, Any], rows: list[dict[str, Any]]) -> list[triton.InferInput]:
    """One tensor per feature, as the model's metadata describes it, JSON-encoded."""
    tensors = []
    for spec in metadata["inputs"]:
        values = [row[spec["name"]] for row in rows]
        dtype = object if spec["datatype"] == "BYTES" else np.float32
        tensor = triton.InferInput(spec["name"], [len(rows)], spec["datatype"])
        tensor.set_data_from_numpy(np.array(values, dtype=dtype), binary_data=False)
        tensors.append(tensor)
    return tensors


def outputs() -> list[triton.InferRequestedOutput]:
    return [
        triton.InferRequestedOutput("label", binary_data=False),
        triton.InferRequestedOutput("probabilities", binary_data=False),
    ]


def test_health_and_server_metadata(
    client: triton.InferenceServerClient, keyed_stack: KeyedStack
) -> None:
    # Health checks are open; everything else needs a key.
    assert client.is_server_live()
    assert client.is_server_ready()
    metadata = client.get_server_metadata(headers=keyed_stack.auth())
    assert metadata["name"] == "predict-fcgi"
    assert client.is_model_ready("beta", headers=keyed_stack.auth())
    assert client.is_model_ready("beta", "2.0.0", headers=keyed_stack.auth())
    assert not client.is_model_ready("beta", "9.9.9", headers=keyed_stack.auth())
    assert not client.is_model_ready("nope", headers=keyed_stack.auth())


def test_model_metadata(
    client: triton.InferenceServerClient, keyed_stack: KeyedStack, model
) -> None:
    metadata = client.get_model_metadata("beta", headers=keyed_stack.auth())
    assert metadata["name"] == "beta" and metadata["versions"] == ["2.0.0"]
    assert [spec["name"] for spec in metadata["inputs"]] == [
        f["name"] for f in model.manifest["features"]
    ]
    kinds = {f["name"]: f["type"] for f in model.manifest["features"]}
    for spec in metadata["inputs"]:
        assert (spec["datatype"] == "BYTES") == (kinds[spec["name"]] == "category")
    assert metadata["outputs"] == [
        {"name": "label", "datatype": "BYTES", "shape": [-1]},
        {"name": "probabilities", "datatype": "FP32", "shape": [-1, len(model.labels)]},
    ]


@pytest.mark.parametrize("rows", [1, 7])
def test_infer_equals_predict(
    client: triton.InferenceServerClient, keyed_stack: KeyedStack, golden_sample, rows: int
) -> None:
    cases = [case.input for case in golden_sample[:rows]]
    metadata = client.get_model_metadata("beta", headers=keyed_stack.auth())
    result = client.infer(
        "beta",
        inputs(metadata, cases),
        outputs=outputs(),
        request_id="oip-1",
        headers=keyed_stack.auth(),
    )
    assert result.get_response()["id"] == "oip-1"
    assert result.get_response()["model_version"] == "2.0.0"
    labels = result.as_numpy("label")
    probabilities = result.as_numpy("probabilities")
    assert probabilities.shape == (rows, 2)
    stack = keyed_stack.stack
    reply = stack.client.request(
        "POST",
        "/models/beta/predict",
        body=__import__("json").dumps({"instances": cases}).encode(),
        headers={"Content-Type": "application/json", **keyed_stack.auth()},
    )
    predictions = reply.json["predictions"]
    for row, prediction in enumerate(predictions):
        assert str(labels[row]) == prediction["label"]
        assert [float(p) for p in probabilities[row]] == pytest.approx(
            [prediction["probabilities"]["no"], prediction["probabilities"]["yes"]], abs=1e-7
        )


def test_infer_by_version(
    client: triton.InferenceServerClient, keyed_stack: KeyedStack, example
) -> None:
    metadata = client.get_model_metadata("alpha", headers=keyed_stack.auth())
    result = client.infer(
        "alpha",
        inputs(metadata, [example]),
        model_version="1.0.0",
        outputs=outputs(),
        headers=keyed_stack.auth(),
    )
    assert result.as_numpy("label").shape == (1,)


def error_of(call) -> InferenceServerException:
    with pytest.raises(InferenceServerException) as raised:
        call()
    return raised.value


def test_every_error_class(
    client: triton.InferenceServerClient, keyed_stack: KeyedStack, example
) -> None:
    auth = keyed_stack.auth()
    metadata = client.get_model_metadata("beta", headers=auth)
    good = inputs(metadata, [example])
    # No key, a revoked or unknown key: 401.
    assert error_of(lambda: client.get_model_metadata("beta")).status() == "401"
    wrong = {"Authorization": "Bearer pf_not-a-key"}
    assert error_of(lambda: client.infer("beta", good, headers=wrong)).status() == "401"
    # An unknown model or version: 404, with the reason.
    missing = error_of(lambda: client.infer("nope", good, outputs=outputs(), headers=auth))
    assert missing.status() == "404" and "nope" in missing.message()
    assert (
        error_of(lambda: client.infer("beta", good, model_version="9", headers=auth)).status()
        == "404"
    )
    # A bad input: 400 naming it.
    bad = inputs(metadata, [{**example, "age": 1.0}])
    bad[0] = triton.InferInput("age", [1], "BYTES")
    bad[0].set_data_from_numpy(np.array(["old"], dtype=object), binary_data=False)
    refused = error_of(lambda: client.infer("beta", bad, outputs=outputs(), headers=auth))
    assert refused.status() == "400" and "age" in refused.message()
    # Binary tensors are a Triton extension this server refuses with a clear reason.
    binary = inputs(metadata, [example])
    binary[0].set_data_from_numpy(np.array([41.0], dtype=np.float32), binary_data=True)
    refused = error_of(lambda: client.infer("beta", binary, outputs=outputs(), headers=auth))
    assert refused.status() in ("400", "415")
    # An unknown output: 400.
    unknown = [triton.InferRequestedOutput("logits", binary_data=False)]
    assert (
        error_of(lambda: client.infer("beta", good, outputs=unknown, headers=auth)).status()
        == "400"
    )
    # Too many rows: 413.
    many = inputs(metadata, [example] * 1001)
    assert (
        error_of(lambda: client.infer("beta", many, outputs=outputs(), headers=auth)).status()
        == "413"
    )
