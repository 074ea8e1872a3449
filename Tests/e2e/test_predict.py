"""Successful answers: single and batch predictions against the golden cases, warnings,
media types, /health and /model."""

from __future__ import annotations

import json
from typing import Any

import pytest
from support import expect
from support.golden_case import GoldenCase
from support.http_client import HttpClient
from support.model_files import ModelFiles


def test_the_example_client_gets_a_consistent_prediction(
    client: HttpClient, model: ModelFiles, example: dict[str, Any]
) -> None:
    reply = client.post_json("/predict", example)

    assert reply.status == 200, reply
    assert reply.media_type == "application/json", reply
    answer = reply.json
    assert set(answer) == {"label", "probabilities", "warnings", "model"}, answer
    expect.prediction(answer, model.labels)
    assert answer["warnings"] == []
    assert answer["model"] == model.identity


def test_golden_cases_sent_one_by_one_match(
    client: HttpClient, golden_sample: list[GoldenCase]
) -> None:
    mismatches = []
    for case in golden_sample:
        reply = client.post_json("/predict", case.input)
        if reply.status != 200:
            mismatches.append(f"case {case.id}: {reply}")
        elif problem := case.mismatch(reply.json):
            mismatches.append(problem)

    assert not mismatches, f"{len(mismatches)}/{len(golden_sample)} differ:\n" + "\n".join(
        mismatches
    )


def test_golden_cases_sent_as_one_batch_match_in_order(
    client: HttpClient, model: ModelFiles, golden_sample: list[GoldenCase]
) -> None:
    reply = client.post_json("/predict", {"instances": [case.input for case in golden_sample]})

    assert reply.status == 200, reply
    answer = reply.json
    assert set(answer) == {"predictions", "model"}, answer
    assert answer["model"] == model.identity
    predictions = answer["predictions"]
    assert len(predictions) == len(golden_sample)
    for prediction in predictions:
        assert set(prediction) == {"label", "probabilities", "warnings"}, prediction
    mismatches = [
        problem
        for case, prediction in zip(golden_sample, predictions, strict=True)
        if (problem := case.mismatch(prediction))
    ]
    assert not mismatches, "\n".join(mismatches)


def test_a_batch_of_the_largest_allowed_size_is_answered(
    client: HttpClient, model: ModelFiles, example: dict[str, Any]
) -> None:
    reply = client.post_json("/predict", {"instances": [example] * 1000})

    assert reply.status == 200, reply
    predictions = reply.json["predictions"]
    assert len(predictions) == 1000
    assert all(p == predictions[0] for p in predictions)
    expect.prediction(predictions[0], model.labels)


@pytest.mark.parametrize(
    "content_type",
    [
        "application/json",
        "application/json; charset=utf-8",
        "application/json;charset=UTF-8",
        "Application/JSON",
        "application/vnd.bank-marketing+json",
        "application/problem+json; charset=utf-8",
    ],
)
def test_json_media_types_are_accepted(
    client: HttpClient, model: ModelFiles, example: dict[str, Any], content_type: str
) -> None:
    reply = client.post_json("/predict", example, content_type=content_type)

    assert reply.status == 200, reply
    expect.prediction(reply.json, model.labels)


def test_a_query_string_does_not_change_the_route(
    client: HttpClient, model: ModelFiles, example: dict[str, Any]
) -> None:
    reply = client.post_json("/predict?explain=1", example)

    assert reply.status == 200, reply
    expect.prediction(reply.json, model.labels)


def test_a_chunked_body_is_predicted_like_a_sized_one(
    client: HttpClient, example: dict[str, Any]
) -> None:
    sized = client.post_json("/predict", example)
    body = json.dumps(example).encode()
    chunks = b"".join(
        f"{len(body[i : i + 64]):x}\r\n".encode() + body[i : i + 64] + b"\r\n"
        for i in range(0, len(body), 64)
    )
    request = (
        b"POST /predict HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        b"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n" + chunks + b"0\r\n\r\n"
    )

    reply = client.raw(request)

    assert reply is not None
    assert reply.status == 200, reply
    assert reply.json == sized.json


@pytest.mark.parametrize("job", ["astronaut", "Technician", ""])
def test_an_unseen_category_is_predicted_with_a_warning(
    client: HttpClient, model: ModelFiles, example: dict[str, Any], job: str
) -> None:
    reply = client.post_json("/predict", {**example, "job": job})

    assert reply.status == 200, reply
    answer = reply.json
    expect.prediction(answer, model.labels)
    warnings = expect.warnings_of(answer, "unseen_category")
    assert [w["field"] for w in warnings] == ["job"], answer


def test_a_number_outside_the_training_range_is_predicted_with_a_warning(
    client: HttpClient, model: ModelFiles, example: dict[str, Any]
) -> None:
    age = model.feature("age")
    if "max" not in age:
        pytest.skip("model.json gives no training range for age")
    reply = client.post_json("/predict", {**example, "age": age["max"] + 100})

    assert reply.status == 200, reply
    answer = reply.json
    expect.prediction(answer, model.labels)
    warnings = expect.warnings_of(answer, "out_of_range")
    assert [w["field"] for w in warnings] == ["age"], answer


def test_warnings_in_a_batch_belong_to_their_instance(
    client: HttpClient, example: dict[str, Any]
) -> None:
    instances = [example, {**example, "job": "astronaut"}, example]

    reply = client.post_json("/predict", {"instances": instances})

    assert reply.status == 200, reply
    first, second, third = reply.json["predictions"]
    assert first["warnings"] == [] and third["warnings"] == []
    assert [w["code"] for w in second["warnings"]] == ["unseen_category"], second


def test_health_names_the_served_model(client: HttpClient, model: ModelFiles) -> None:
    reply = client.get("/health")

    assert reply.status == 200, reply
    assert reply.media_type == "application/json", reply
    assert reply.json == {"status": "ok", "model": model.identity}


def test_head_on_health_answers_without_a_body(client: HttpClient) -> None:
    reply = client.head("/health")

    assert reply.status == 200, reply
    assert reply.body == b""


def test_model_serves_the_manifest(client: HttpClient, model: ModelFiles) -> None:
    reply = client.get("/model")

    assert reply.status == 200, reply
    assert reply.media_type == "application/json", reply
    # The manifest as written, plus what the score output is (the manifest may leave it out).
    assert reply.json == {"output": "probabilities", **model.manifest}
