"""Errors nginx answers itself, on the local stack: each refusal gets the documented JSON
error with the right status, `Allow` on a 405, the request id, and never nginx's HTML page.
test_production_site.py runs the same table against the production site."""

from __future__ import annotations

import pytest
from support import expect
from support.nginx_refusals import REFUSALS, Refusal
from support.stack import Stack


@pytest.mark.parametrize("refusal", REFUSALS, ids=lambda refusal: refusal.id)
def test_nginx_refuses_with_the_json_error(stack: Stack, refusal: Refusal) -> None:
    reply = stack.client.raw(refusal.request)
    assert reply is not None, f"{refusal.id}: nginx closed the connection without an answer"
    expect.error(reply, refusal.status, refusal.code)
    assert reply.header("allow") == refusal.allow, reply.headers
    assert reply.header("x-request-id"), reply.headers


def test_the_workers_own_405_keeps_its_one_allow_header(stack: Stack) -> None:
    reply = stack.client.request("POST", "/health", b"{}", {"Content-Type": "application/json"})
    expect.error(reply, 405, "method_not_allowed")
    assert reply.header("allow") == "GET, HEAD", reply.headers
