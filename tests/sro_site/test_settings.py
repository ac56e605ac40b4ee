"""Production settings fail fast instead of falling back to unsafe values."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[2]
LOAD_SETTINGS = "import django; django.setup(); from django.conf import settings; print(settings.ALLOWED_HOSTS)"


def run_with(env_overrides):
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "ALLOWED_HOSTS", "DEBUG"}}
    env.update({"DJANGO_SETTINGS_MODULE": "sro_site.settings", **env_overrides})
    return subprocess.run(  # noqa: S603
        [sys.executable, "-c", LOAD_SETTINGS], cwd=PROJECT, env=env, capture_output=True, text=True, timeout=60
    )


def test_missing_secret_key_stops_production_start_up():
    result = run_with({"DEBUG": "false", "SECRET_KEY": "", "ALLOWED_HOSTS": "sro.example.org"})
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_missing_allowed_hosts_stops_production_start_up():
    result = run_with({"DEBUG": "false", "SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": ""})
    assert result.returncode != 0
    assert "ALLOWED_HOSTS is not set" in result.stderr


def test_wildcard_host_is_refused():
    result = run_with({"DEBUG": "false", "SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "*"})
    assert result.returncode != 0
    assert "wildcard" in result.stderr


@pytest.mark.parametrize("debug", ["true", "false"])
def test_valid_configuration_starts(debug):
    result = run_with({"DEBUG": debug, "SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "sro.example.org"})
    assert result.returncode == 0, result.stderr
    assert "sro.example.org" in result.stdout
