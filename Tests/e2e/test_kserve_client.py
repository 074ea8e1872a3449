"""The Open Inference Protocol through KServe's own Python client (kserve.InferenceRESTClient,
protocol v2): health, readiness, an infer equal to POST /predict's answer, and its errors."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
import pytest
from conftest import KeyedStack
from kserve import InferenceRESTClient, InferInput, InferRequest, RESTConfig


def run(keyed_stack: KeyedStack, call) -> Any:
    """Runs `call(client, base_url)` on a fresh client and closes it."""

    async def main() -> Any:
        client = InferenceRESTClient(config=RESTConfig(protocol="v2", timeout=10))
        try:
            return await call(client, f"http://127.0.0.1:{keyed_stack.stack.port}")
        finally:
            await client.close()

    return asyncio.run(main())


def request(model: str, rows: list[dict[str, Any]], request_id: str = "kserve-1") -> InferRequest:
    inputs = [
        InferInput(
            name=name,
            shape=[len(rows)],
            datatype="BYTES" if isinstance(value, str) else "FP64",
            data=[row[name] for row in rows],
        )
        for name, value in rows[0].items()
    ]
    return InferRequest(model_name=model, infer_inputs=inputs, request_id=request_id)


def test_health_and_readiness(keyed_stack: KeyedStack) -> None:
    auth = keyed_stack.auth()

    async def call(client: InferenceRESTClient, base: str) -> tuple[bool, bool, bool]:
        return (
            await client.is_server_live(base_url=base),
            await client.is_server_ready(base_url=base),
            await client.is_model_ready(base_url=base, model_name="beta", headers=auth),
        )

    assert run(keyed_stack, call) == (True, True, True)


def test_infer_equals_predict(keyed_stack: KeyedStack, golden_sample) -> None:
    rows = [case.input for case in golden_sample[:5]]
    auth = keyed_stack.auth("bob")

    async def call(client: InferenceRESTClient, base: str):
        return await client.infer(
            base_url=base, data=request("beta", rows), model_name="beta", headers=auth
        )

    result = run(keyed_stack, call)
    assert result.id == "kserve-1" and result.model_name == "beta"
    outputs = {output.name: output for output in result.outputs}
    reply = keyed_stack.stack.client.request(
        "POST",
        "/models/beta/predict",
        json.dumps({"instances": rows}).encode(),
        {"Content-Type": "application/json", **auth},
    )
    predictions = reply.json["predictions"]
    assert list(outputs["label"].data) == [p["label"] for p in predictions]
    scores = list(outputs["probabilities"].data)
    for row, prediction in enumerate(predictions):
        assert scores[2 * row : 2 * row + 2] == pytest.approx(
            [prediction["probabilities"]["no"], prediction["probabilities"]["yes"]], abs=1e-7
        )


def test_errors(keyed_stack: KeyedStack, example) -> None:
    auth = keyed_stack.auth()

    def status_of(model: str, rows: list[dict[str, Any]], headers: dict[str, str]) -> int:
        async def call(client: InferenceRESTClient, base: str):
            return await client.infer(
                base_url=base, data=request(model, rows), model_name=model, headers=headers
            )

        with pytest.raises(httpx.HTTPStatusError) as raised:
            run(keyed_stack, call)
        return raised.value.response.status_code

    assert status_of("beta", [example], {}) == 401
    assert status_of("nope", [example], auth) == 404
    assert status_of("beta", [{**example, "age": "old"}], auth) == 400
