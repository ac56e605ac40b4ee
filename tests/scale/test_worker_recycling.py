"""Workers replaced after GUNICORN_MAX_REQUESTS are forks of the master, which loaded the site once
(gunicorn.conf.py: preload_app): they answer at once, on SQLite and on PostgreSQL with Redis alike."""

import os
import subprocess

import pytest

from .conftest import PROJECT, instance

pytestmark = pytest.mark.scale

PATHS = ["/", "/programs/st-charles-county/", "/schools/?q=hillsboro", "/api/v1/programs"]


@pytest.mark.parametrize("configuration", ["embedded_env", "site_env"])
def test_replaced_workers_answer_every_request(request, configuration):
    env = request.getfixturevalue(configuration)
    with instance(env, GUNICORN_MAX_REQUESTS="20", API_RATE_LIMIT="100000") as site:
        first = set(site.worker_pids())
        statuses = [site.get(path).status_code for _ in range(30) for path in PATHS]
        assert statuses == [200] * len(statuses)
        assert not first & set(site.worker_pids())  # both workers were replaced, some more than once


@pytest.mark.parametrize(("setting", "preloaded"), [(None, True), ("false", False)])
def test_the_site_is_loaded_in_the_master_unless_told_not_to(setting, preloaded):
    env = {"GUNICORN_PRELOAD": setting} if setting else {}
    printed = subprocess.run(
        [str(PROJECT / ".venv/bin/gunicorn"), "-c", "gunicorn.conf.py", "--print-config", "sro_site.wsgi"],
        cwd=PROJECT,
        env={**{k: v for k, v in os.environ.items() if k != "GUNICORN_PRELOAD"}, **env},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert f"preload_app                        = {preloaded}" in printed
