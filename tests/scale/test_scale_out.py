"""Several stateless instances share one database and one Redis, and survive their failures."""

import re
import secrets
import shutil
import subprocess

import pytest

from .conftest import free_port, instance, instances, manage, pg_admin, private_redis, unavailable

pytestmark = pytest.mark.scale

PROGRAM = "/programs/st-charles-county/"


def log_in(inst, username, password):
    login = inst.get("/admin/sign-in/")  # one step: these instances run with OTP_REQUIRED=false
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login.text).group(1)
    response = inst.session.post(
        inst.url("/admin/sign-in/?next=/admin/"),
        data={"csrfmiddlewaretoken": token, "username": username, "password": password, "next": "/admin/"},
        timeout=10,
    )
    assert response.url.endswith("/admin/"), "login failed"


def test_a_change_saved_on_one_instance_shows_on_the_others_cached_page_at_once(site_env):
    password = secrets.token_urlsafe(24)
    manage(
        {**site_env, "DJANGO_SUPERUSER_PASSWORD": password},
        "createsuperuser",
        "--noinput",
        "--username",
        "scale-editor",
        "--email",
        "editor@example.org",
    )
    with instances(site_env, 2) as (a, b):
        b.get(PROGRAM)
        cached = b.get(PROGRAM)
        assert cached.headers.get("X-Page-Cache") == "hit"
        assert "Driver safety" in cached.text

        log_in(a, "scale-editor", password)
        topic_id = re.search(
            r'/admin/programs/educationtopic/(\d+)/change/">Driver safety<',
            a.get("/admin/programs/educationtopic/").text,
        ).group(1)
        change_url = f"/admin/programs/educationtopic/{topic_id}/change/"
        form = a.get(change_url).text
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
        saved = a.session.post(
            a.url(change_url),
            data={
                "csrfmiddlewaretoken": token,
                # The English and Spanish versions side by side (django-modeltranslation).
                "name_en": "Driver and passenger safety",
                "name_es": "",
                "slug": "driver-safety",
                "description_en": "Safe habits on the road.",
                "description_es": "",
                "_save": "Save",
            },
            timeout=10,
        )
        assert saved.status_code == 200 and "was changed successfully" in saved.text

        fresh = b.get(PROGRAM)
        assert "Driver and passenger safety" in fresh.text
        assert fresh.headers.get("X-Page-Cache") == "miss"
        assert b.get(PROGRAM).headers.get("X-Page-Cache") == "hit"


def test_pages_stay_up_while_redis_is_down_and_caching_resumes_when_it_returns(site_env):
    port = free_port()
    env = {**site_env, "REDIS_URL": f"redis://127.0.0.1:{port}/0"}
    with private_redis(port), instance(env) as site:
        site.get(PROGRAM)
        assert site.get(PROGRAM).headers.get("X-Page-Cache") == "hit"
    # Redis has stopped; the instance above is gone too. A new one starts without Redis.
    with instance(env) as site:
        statuses = [site.get(path).status_code for path in [PROGRAM, "/", "/schools/?q=example"] * 5]
        assert statuses == [200] * 15
        assert site.get("/healthz").status_code == 503
        with private_redis(port):
            site.get(PROGRAM)
            assert site.get(PROGRAM).headers.get("X-Page-Cache") == "hit"
            assert site.get("/healthz").status_code == 200


def test_redis_stopping_under_a_running_instance_causes_no_errors(site_env):
    port = free_port()
    env = {**site_env, "REDIS_URL": f"redis://127.0.0.1:{port}/0"}
    with instance(env) as site:
        with private_redis(port):
            site.get(PROGRAM)
            assert site.get(PROGRAM).headers.get("X-Page-Cache") == "hit"
        statuses = {site.get(path).status_code for path in [PROGRAM, "/", "/topics/"] * 4}
        assert statuses == {200}


def test_a_killed_database_connection_recovers_without_restarting_gunicorn(site_env):
    database = site_env["DATABASE_URL"].rsplit("/", 1)[1]
    with instance(site_env, PAGE_CACHE="false") as site:
        assert site.get(PROGRAM).status_code == 200
        killed = pg_admin(
            f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            f"WHERE datname = '{database}' AND pid <> pg_backend_pid()"
        )
        assert killed, "no connection was open to kill"
        statuses = [site.get(path).status_code for path in [PROGRAM, "/", "/schools/?q=example"] * 4]
        assert statuses == [200] * 12


def test_a_bounded_load_ends_with_no_server_errors(site_env):
    if not shutil.which("wrk"):
        unavailable("wrk is not installed (apt-get install wrk)")
    with instance(site_env) as site:
        out = subprocess.run(
            ["wrk", "-t2", "-c64", "-d10s", "--timeout", "10s", site.url(PROGRAM)],
            capture_output=True,
            text=True,
            timeout=90,
            check=True,
        ).stdout
    requests_done = int(re.search(r"(\d+) requests in", out).group(1))
    assert requests_done > 1000, out
    assert "Non-2xx or 3xx responses" not in out, out
    assert "Socket errors" not in out, out  # no refused, reset or timed-out connection either


def post_question(inst):
    form = inst.get("/programs/jefferson-county/ask-a-question/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1)
    return inst.session.post(
        inst.url("/programs/jefferson-county/ask-a-question/"),
        data={
            "csrfmiddlewaretoken": token,
            "name": "Load Tester",
            "email": "tester@example.org",
            "message": "Counting across instances",
            "wants_reply": "no",
        },
        allow_redirects=False,
        timeout=10,
    )


def test_the_form_rate_limit_counts_across_instances(site_env):
    env = {**site_env, "FORM_RATE_LIMIT": "5", "CACHE_KEY_PREFIX": site_env["CACHE_KEY_PREFIX"] + "-rate"}
    with instances(env, 2) as (a, b):
        statuses = [post_question(inst).status_code for inst in (a, b, a, b, a)]
        assert statuses == [302] * 5
        assert post_question(b).status_code == 429
        assert post_question(a).status_code == 429
