"""GET /metrics through nginx: Prometheus text that promtool accepts, counting what was served
per model, version, route, status and client."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

from conftest import REPO, KeyedStack

PROMTOOL = REPO / ".venv" / "bin" / "promtool"


def scrape(keyed_stack: KeyedStack) -> str:
    reply = keyed_stack.stack.client.get("/metrics")
    assert reply.status == 200, reply
    assert reply.media_type == "text/plain"
    return reply.body.decode()


def value(text: str, series: str) -> float:
    """The value of the sample whose name and labels are exactly `series`; 0 when absent."""
    for line in text.splitlines():
        if line.startswith(series + " "):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


def test_promtool_accepts_the_exposition(keyed_stack: KeyedStack, example) -> None:
    keyed_stack.stack.client.request(
        "POST",
        "/predict",
        json.dumps(example).encode(),
        {"Content-Type": "application/json", **keyed_stack.auth()},
    )
    text = scrape(keyed_stack)
    checked = subprocess.run(
        [str(PROMTOOL), "check", "metrics"], input=text, capture_output=True, text=True, timeout=30
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_counts_requests_predictions_and_latency(keyed_stack: KeyedStack, example) -> None:
    before = scrape(keyed_stack)
    client = keyed_stack.stack.client
    headers = {"Content-Type": "application/json", **keyed_stack.auth("bob")}
    batch = json.dumps({"instances": [example] * 4}).encode()
    for _ in range(3):
        assert client.request("POST", "/models/beta/predict", batch, headers).status == 200
    assert client.request("POST", "/models/beta/predict", b"{", headers).status == 400
    assert (
        client.request(
            "POST", "/models/beta/predict", batch, {"Content-Type": "application/json"}
        ).status
        == 401
    )
    after = scrape(keyed_stack)

    requests = 'predict_requests_total{model="beta",version="2.0.0",route="/models/{name}/predict",'
    assert (
        value(after, requests + 'status="200",client="bob"}')
        - value(before, requests + 'status="200",client="bob"}')
        == 3
    )
    assert (
        value(after, requests + 'status="400",client="bob"}')
        - value(before, requests + 'status="400",client="bob"}')
        == 1
    )
    # Refused before the model is looked up: no model is named.
    anonymous = 'predict_requests_total{model="",version="",route="/models/{name}/predict",status="401",client="anonymous"}'
    assert value(after, anonymous) - value(before, anonymous) == 1
    # Never a key in the exposition, only names.
    assert all(key not in after for key in keyed_stack.keys.values())

    labels = re.findall(
        r'predict_predictions_total\{model="beta",version="2\.0\.0",label="[^"]+"\} (\d+)', after
    )
    labels_before = re.findall(
        r'predict_predictions_total\{model="beta",version="2\.0\.0",label="[^"]+"\} (\d+)', before
    )
    assert sum(map(int, labels)) - sum(map(int, labels_before)) == 12
    batch_count = 'predict_batch_size_bucket{model="beta",version="2.0.0",le="5"}'
    assert value(after, batch_count) - value(before, batch_count) == 3
    latency = 'predict_request_duration_seconds_count{model="beta",version="2.0.0",route="/models/{name}/predict"}'
    assert value(after, latency) - value(before, latency) == 4  # the 401 names no model
    evaluation = 'predict_model_evaluation_duration_seconds_count{model="beta",version="2.0.0"}'
    assert value(after, evaluation) - value(before, evaluation) == 3


def test_model_info_loads_and_process(keyed_stack: KeyedStack) -> None:
    text = scrape(keyed_stack)
    assert re.search(
        r'predict_model_info\{model="alpha",version="1\.0\.0",sha256="[0-9a-f]{64}"\} 1', text
    )
    assert value(text, 'predict_model_loads_total{model="beta",result="loaded"}') >= 1
    assert value(text, "predict_api_keys") == 2
    assert value(text, "process_resident_memory_bytes") > 1 << 20
    assert value(text, "process_threads") >= 2
    assert value(text, "process_open_fds") >= 3


def test_metrics_off(make_stack, tmp_path: Path) -> None:
    stack = make_stack(PREDICT_METRICS="off")
    assert stack.client.get("/metrics").status == 404


def test_alert_rules_fire_as_their_tests_say() -> None:
    """docs/prometheus/alerts.yml through promtool's rule unit tests (alerts.test.yml)."""
    checked = subprocess.run(
        [str(PROMTOOL), "test", "rules", "alerts.test.yml"],
        cwd=REPO / "docs" / "prometheus",
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
