"""The embedded default (`make run`): one host, SQLite, and the file cache shared
by its gunicorn workers, each also keeping the pages it served in memory."""

import secrets
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests

from page_cache.pushed import HOST_GENERATION_FILE

from .conftest import cpu_ticks, instance, manage

pytestmark = pytest.mark.scale

PROGRAM = "/programs/st-charles-county/"
REQUESTS = 400
CLIENTS = 8  # more than the 2 workers: both of them answer


def burst(site, path):
    """Many requests at once, from CLIENTS connections (gunicorn's sync workers
    take one each, so both answer), and how much CPU each worker spent on them."""
    workers = site.worker_pids()
    before = {pid: cpu_ticks(pid) for pid in workers}

    def one(_):
        response = requests.get(site.url(path), timeout=10)
        return response.status_code, response.headers.get("X-Page-Cache"), response.text

    with ThreadPoolExecutor(CLIENTS) as pool:
        responses = list(pool.map(one, range(REQUESTS)))
    return responses, {pid: cpu_ticks(pid) - before[pid] for pid in workers}


def save_summary_elsewhere(env, summary):
    """A change saved through the ORM by a process that is neither worker (manage.py shell)."""
    manage(
        env,
        "shell",
        "-c",
        "from programs.models import Program\n"
        "program = Program.objects.get(slug='st-charles-county')\n"
        f"program.summary = {summary!r}\n"
        "program.save()",
    )


def test_a_change_saved_by_another_process_shows_on_every_workers_next_hit(embedded_env):
    with instance(embedded_env) as site:
        assert len(site.worker_pids()) == 2
        responses, work = burst(site, PROGRAM)  # both workers keep the page in memory
        assert {status for status, _, _ in responses} == {200}
        assert all(ticks > 0 for ticks in work.values()), work
        assert [cache for _, cache, _ in responses[-10:]] == ["hit"] * 10
        assert (Path(embedded_env["CACHE_DIR"]) / HOST_GENERATION_FILE).is_file()

        for _ in range(3):  # a save and a burst, again: no stale page ever follows a save
            summary = f"Summary {secrets.token_hex(8)}"
            save_summary_elsewhere(embedded_env, summary)
            responses, work = burst(site, PROGRAM)
            assert all(ticks > 0 for ticks in work.values()), f"one worker answered nothing: {work}"
            stale = [n for n, (status, _, text) in enumerate(responses) if status != 200 or summary not in text]
            assert stale == [], f"{len(stale)} of {REQUESTS} responses did not show the change"
            assert responses[-1][1] == "hit"  # and the fresh page is cached again
