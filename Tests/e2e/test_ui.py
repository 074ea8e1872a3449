"""The page at / in a real browser: Debian's headless Chromium, driven by Selenium through
chromium-driver, fills the form and predicts; what the page shows must be what the API
answers for the same body, its curl line must give that answer too, it must fetch nothing from
another origin and log no error. A screenshot goes to .run/ui.png, and also to $UI_SCREENSHOT
when set (`UI_SCREENSHOT=docs/ui.png` refreshes the README's)."""

from __future__ import annotations

import json
import os
import shlex
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import KeyedStack
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.chrome.webdriver import WebDriver
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.select import Select
from selenium.webdriver.support.wait import WebDriverWait
from support.http_client import HttpClient

# Debian's packages (scripts/install-deps test). Named explicitly so that Selenium Manager never
# tries to download a browser or a driver.
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
WAIT_SECONDS = 15
VIEWPORT = {"width": 1100, "height": 900}


@pytest.fixture
def browser() -> Iterator[WebDriver]:
    for path in (CHROMIUM, CHROMEDRIVER):
        # A failure, not a skip: a run without the browser would not have tested the page.
        if not os.access(path, os.X_OK):
            pytest.fail(f"{path} is missing: run `scripts/install-deps test`", pytrace=False)
    options = Options()
    options.binary_location = CHROMIUM
    # --no-sandbox: the tests run as root in CI containers, where Chromium's sandbox cannot start.
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
    try:
        # The viewport itself (a window size would include the headless window's frame), so
        # the screenshot is the same on every machine.
        driver.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {**VIEWPORT, "deviceScaleFactor": 1, "mobile": False},
        )
        yield driver
    finally:
        driver.quit()


def screenshot(driver: WebDriver, repo: Path, name: str, *, publish: bool = False) -> None:
    (repo / ".run").mkdir(exist_ok=True)
    # Choosing Predict may have scrolled; the picture starts at the page's header.
    driver.execute_script("window.scrollTo(0, 0)")
    driver.save_screenshot(str(repo / ".run" / name))
    target = os.environ.get("UI_SCREENSHOT")
    if publish and target:
        driver.save_screenshot(str(repo / target))


def wait_for(driver: WebDriver, condition: Any) -> Any:
    return WebDriverWait(driver, WAIT_SECONDS).until(condition)


def field(driver: WebDriver, feature: str) -> WebElement:
    """The input of a feature, found through its label as a user (or a screen reader) would."""
    for label in driver.find_elements(By.CSS_SELECTOR, ".field label"):
        if label.text == feature:
            return driver.find_element(By.ID, label.get_attribute("for") or "")
    raise AssertionError(f"no field is labelled {feature!r}")


def fields_ready(driver: WebDriver) -> bool:
    return (
        bool(driver.find_elements(By.CSS_SELECTOR, ".field"))
        and driver.find_element(By.ID, "predict").is_enabled()
    )


def predict(driver: WebDriver) -> dict[str, Any]:
    """Chooses Predict and reads the answer the page shows."""
    driver.find_element(By.ID, "predict").click()
    wait_for(driver, lambda d: d.find_element(By.ID, "result").is_displayed())
    bars = driver.find_elements(By.CSS_SELECTOR, "#bars .bar-row")
    return {
        "label": driver.find_element(By.ID, "label").text,
        "values": {
            bar.get_attribute("data-class"): float(bar.get_attribute("data-value") or "nan")
            for bar in bars
        },
        "shown": [bar.find_element(By.CSS_SELECTOR, ".bar-value").text for bar in bars],
        "curl": driver.find_element(By.ID, "curl").text,
    }


def curl_body(curl: str) -> dict[str, Any]:
    words = shlex.split(curl.replace("\\\n", " "))
    body: dict[str, Any] = json.loads(words[words.index("-d") + 1])
    return body


def run_curl(curl: str, env: dict[str, str] | None = None) -> dict[str, Any]:
    done = subprocess.run(
        ["bash", "-c", curl],
        capture_output=True,
        text=True,
        timeout=10,
        check=True,
        env={**os.environ, **(env or {})},
    )
    answer: dict[str, Any] = json.loads(done.stdout)
    return answer


def foreign_requests(driver: WebDriver, origin: str) -> list[str]:
    names: list[str] = driver.execute_script(
        "return performance.getEntriesByType('resource').map((entry) => entry.name)"
    )
    assert any(name.endswith("/ui/app.js") for name in names), names
    return [name for name in names if not name.startswith(origin + "/")]


def severe_logs(driver: WebDriver) -> list[dict[str, Any]]:
    return [entry for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]


def test_the_page_predicts_what_the_api_answers(
    browser: WebDriver, client: HttpClient, repo: Path
) -> None:
    try:
        browser.get(client.base_url + "/")
        wait_for(browser, fields_ready)
        Select(browser.find_element(By.ID, "model")).select_by_value("bank-marketing")
        wait_for(browser, fields_ready)
        Select(field(browser, "job")).select_by_value("technician")
        age = field(browser, "age")
        age.clear()
        age.send_keys("41")

        shown = predict(browser)

        body = curl_body(shown["curl"])
        assert body["job"] == "technician" and body["age"] == 41, body
        manifest = client.get("/models/bank-marketing").json
        assert list(body) == [feature["name"] for feature in manifest["features"]]
        answer = client.post_json("/models/bank-marketing/predict", body).json
        assert shown["label"] == answer["label"]
        assert shown["values"] == answer["probabilities"]
        assert len(shown["shown"]) == 2 and all(text.endswith(" %") for text in shown["shown"])
        assert shown["curl"].startswith(f"curl -sS '{client.base_url}/models/bank-marketing/")
        assert run_curl(shown["curl"]) == answer
        assert foreign_requests(browser, client.base_url) == []
        assert severe_logs(browser) == []
    finally:
        screenshot(browser, repo, "ui.png", publish=True)


def test_the_page_asks_for_the_key_and_then_works_with_it(
    browser: WebDriver, keyed_stack: KeyedStack, repo: Path
) -> None:
    client = keyed_stack.stack.client
    key = keyed_stack.keys["alice"]
    try:
        browser.get(client.base_url + "/")
        error = browser.find_element(By.ID, "error")
        wait_for(browser, lambda d: error.is_displayed())
        assert "needs an API key" in error.text
        assert not browser.find_element(By.ID, "predict").is_enabled()

        browser.find_element(By.ID, "key").send_keys(key)
        browser.find_element(By.CSS_SELECTOR, "#key-form button").click()
        wait_for(browser, fields_ready)
        assert not error.is_displayed()
        Select(browser.find_element(By.ID, "model")).select_by_value("beta")
        wait_for(browser, fields_ready)
        shown = predict(browser)

        answer = client.request(
            "POST",
            "/models/beta/predict",
            json.dumps(curl_body(shown["curl"])).encode(),
            {"Content-Type": "application/json", **keyed_stack.auth()},
        ).json
        assert answer["model"]["name"] == "beta"
        assert (shown["label"], shown["values"]) == (answer["label"], answer["probabilities"])
        # The line names the key's variable, never the key.
        assert '-H "Authorization: Bearer $PREDICT_API_KEY"' in shown["curl"]
        assert key not in shown["curl"]
        assert run_curl(shown["curl"], {"PREDICT_API_KEY": key}) == answer

        # The key stays for the tab's session: a reload loads the models at once.
        browser.refresh()
        wait_for(browser, fields_ready)
        assert browser.find_element(By.ID, "key").get_attribute("value") == key
        # Only the expected 401s of the first loads, which Chromium logs as network errors.
        unexpected = [
            entry for entry in severe_logs(browser) if "401 (Unauthorized)" not in entry["message"]
        ]
        assert unexpected == []
    finally:
        screenshot(browser, repo, "ui-keys.png")
