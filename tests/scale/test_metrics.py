"""/metrics under the real gunicorn: whichever worker answers a scrape, it counts the
requests of every worker of the instance (prometheus_client's multiprocess mode)."""

from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from prometheus_client.parser import text_string_to_metric_families

from .conftest import instance

pytestmark = pytest.mark.scale

REQUESTS = 40


def home_pages_counted(site):
    text = requests.get(site.url("/metrics"), timeout=10).text
    return sum(
        sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
        if sample.name == "django_http_responses_total_by_status_view_method_total"
        and sample.labels == {"method": "GET", "status": "200", "view": "programs:home"}
    )


def test_a_scrape_counts_the_requests_of_every_worker(embedded_env):
    with instance(embedded_env, WEB_CONCURRENCY="2") as site:
        assert len(site.worker_pids()) == 2
        with ThreadPoolExecutor(8) as pool:
            statuses = list(pool.map(lambda _: requests.get(site.url("/"), timeout=10).status_code, range(REQUESTS)))
        assert statuses == [200] * REQUESTS
        # Several scrapes, answered by either worker: each sees all the requests.
        assert {home_pages_counted(site) for _ in range(6)} == {REQUESTS}
