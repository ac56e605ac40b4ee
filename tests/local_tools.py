"""What the tests that start real programs (gunicorn, Varnish, Chromium, an SMTP server) share."""

import os
import socket
from functools import partial

import pytest


def free_port():
    """A TCP port nobody listens on at 127.0.0.1, for a server a test starts."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def not_run(what, reason):
    """A tool is missing: skip loudly on a developer's machine, fail in CI (CI=true), which must run them."""
    message = f"{what} NOT RUN: {reason}"
    if os.environ.get("CI"):
        pytest.fail(message + " (CI must run them)")
    pytest.skip(message)


def unavailable_for(what):
    """`unavailable(reason)` for one kind of test: `unavailable_for("BROWSER TESTS")`."""
    return partial(not_run, what)
