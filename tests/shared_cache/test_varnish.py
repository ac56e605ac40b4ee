"""The project's own VCL (deploy/varnish/default.vcl), in a real Varnish in front of a live
Django server with SHARED_CACHE=varnish: pages are served from Varnish, an edit shows on every
page that shows it within a second, in both languages, and nothing personal is ever stored."""

import re
import socket
import subprocess
import threading
import time
from urllib.parse import urlsplit

import pytest
import requests
from django.contrib.auth import SESSION_KEY
from django.test import Client

from programs.models import Program
from shared_cache import purges
from tests.factories import AssignmentFactory, EducationTopicFactory, ProgramFactory, UserFactory

from .varnish import KIT, deployed_parameters, free_port, require_varnish, varnishd

SECOND = 1.0


@pytest.fixture(scope="module")
def varnish(live_server):
    backend = urlsplit(live_server.url)
    with varnishd([(backend.hostname, backend.port)]) as url:
        yield url


@pytest.fixture
def site(varnish, settings):
    settings.SHARED_CACHE = "varnish"
    settings.SHARED_CACHE_PURGE_URLS = [varnish + "/"]
    # A new test database for each test reuses the ids: nothing of the last test's pages stays.
    assert requests.request("PURGE", varnish + "/", headers={"xkey-purge": "site"}, timeout=5).ok
    return varnish


@pytest.fixture
def program(transactional_db):
    program = ProgramFactory(name="Safe Schools Partnership", agency__county="Jefferson")
    school = AssignmentFactory(officer__agency=program.agency, school__name="Hill Elementary").school
    program.school = school
    return program


def test_the_shipped_vcl_compiles_as_it_is_with_the_drop_ins_parameters(tmp_path):
    require_varnish()
    parameters = deployed_parameters()
    assert parameters, "the drop-in's ExecStart gives no -p (the tests would not run Varnish as deployed)"
    compiled = subprocess.run(
        ["varnishd", "-C", "-j", "none", "-n", str(tmp_path), "-p", f"vcl_path={KIT}", "-f", str(KIT / "default.vcl")]
        + parameters,
        capture_output=True,
        text=True,
    )
    assert compiled.returncode == 0, compiled.stderr[-3000:]


def get(url, session=requests):
    return session.get(url, timeout=10)


def from_varnish(response):
    return response.headers.get("X-Cache") == "hit" and len(response.headers["X-Varnish"].split()) == 2


def shows_within(url, text, seconds=SECOND):
    """How long until `url`, through Varnish, shows `text` (None: not within `seconds`)."""
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        if text in get(url).text:
            return time.monotonic() - started
        time.sleep(0.02)
    return None


def test_the_second_request_for_a_page_is_served_by_varnish(site, program):
    url = site + program.get_absolute_url()
    first = get(url)
    assert first.status_code == 200 and first.headers["X-Cache"] == "miss"
    second = get(url)
    assert from_varnish(second) and "Age" in second.headers
    assert second.text == first.text
    assert "xkey" not in second.headers  # the keys stay in Varnish
    # Dropped when the page was fetched: the site's page-cache verdict would be stale on a hit.
    assert "X-Page-Cache" not in second.headers and "Server" not in second.headers


def test_cookies_other_than_the_csrf_cookie_are_dropped_and_the_shared_page_served(site, program):
    url = site + program.get_absolute_url()
    get(url)
    with_cookies = requests.get(url, cookies={"_ga": "GA1.2.3.4", "csrftoken": "a" * 32}, timeout=10)
    assert from_varnish(with_cookies)


def test_a_session_cookie_among_other_cookies_is_passed_to_the_site(site, program):
    url = site + program.get_absolute_url()
    get(url)
    assert from_varnish(get(url))
    signed_in = requests.get(url, cookies={"_ga": "GA1.2.3.4", "sessionid": "abc"}, timeout=10)
    assert signed_in.headers["X-Cache"] == "miss" and "no-store" in signed_in.headers["Cache-Control"]


def test_an_edit_shows_on_every_page_that_shows_it_within_a_second_in_both_languages(site, program):
    pages = {
        "program": site + program.get_absolute_url(),
        "program in Spanish": site + "/es" + program.get_absolute_url(),
        "school": site + program.school.get_absolute_url(),
        "school search": site + "/schools/?q=hill",
        "state": site + f"/states/{program.agency.state.code.lower()}/",
        "home": site + "/",
    }
    for url in pages.values():
        get(url)
        assert from_varnish(get(url)), url
    program.refresh_from_db()
    program.name = "Safer Schools Partnership"
    program.contact_phone = "+13145550123"
    program.save()  # committed: the live server's test database is transactional
    shown = {
        "program": "Safer Schools Partnership",
        "program in Spanish": "Safer Schools Partnership",
        "school": "Safer Schools Partnership",
        "school search": "Safer Schools Partnership",
        "state": "tel:+13145550123",
        "home": "tel:+13145550123",
    }
    late = {name: shows_within(pages[name], text) for name, text in shown.items()}
    assert None not in late.values(), late
    for url in pages.values():  # and then served from Varnish again
        get(url)
        assert from_varnish(get(url)), url


def test_an_admin_edit_through_varnish_shows_within_a_second(site, program):
    topic = EducationTopicFactory(name="Driver safety")
    program.topics.add(topic)
    url = site + program.get_absolute_url()
    get(url)
    assert from_varnish(get(url)) and "Driver safety" in get(url).text
    editor = staff_session()
    change_url = f"{site}/admin/programs/educationtopic/{topic.pk}/change/"
    form = get(change_url, editor)
    assert form.headers["X-Cache"] == "miss" and "no-store" in form.headers["Cache-Control"]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1)
    saved = editor.post(
        change_url,
        data={
            "csrfmiddlewaretoken": token,
            "name_en": "Driver and passenger safety",
            "name_es": "",
            "slug": topic.slug,
            "description_en": "Safe habits on the road.",
            "description_es": "",
            "_save": "Save",
        },
        headers={"Referer": change_url},
        timeout=10,
    )
    assert saved.status_code == 200 and "was changed successfully" in saved.text
    assert shows_within(url, "Driver and passenger safety") is not None
    assert shows_within(site + "/es" + program.get_absolute_url(), "Driver and passenger safety") is not None


def staff_session():
    """A signed-in editor's browser: the session cookie the sign-in page would have set."""
    client = Client()
    user = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(user)
    session = requests.Session()
    session.cookies.set("sessionid", client.cookies["sessionid"].value)
    assert client.session[SESSION_KEY] == str(user.pk)
    return session


def test_a_signed_in_editors_pages_are_never_stored_nor_served_to_anyone(site, program):
    draft = ProgramFactory(status=Program.Status.DRAFT, name="Draft Not For Publication")
    url = site + draft.get_absolute_url()
    editor = staff_session()
    for _ in range(2):
        seen = get(url, editor)
        assert seen.status_code == 200 and "Draft Not For Publication" in seen.text
        assert seen.headers["X-Cache"] == "miss"
        assert "no-store" in seen.headers["Cache-Control"]
    anonymous = get(url)
    assert anonymous.status_code == 404 and "Draft Not For Publication" not in anonymous.text
    public = site + program.get_absolute_url()
    get(public, editor)
    assert get(public).headers["X-Cache"] == "miss"  # the editor's copy was not kept


def test_a_form_page_and_its_csrf_cookie_are_never_shared_and_the_form_posts_through_varnish(site, program):
    url = site + program.get_absolute_url() + "request-a-presentation/"
    first, second = requests.Session(), requests.Session()
    one, two = get(url, first), get(url, second)
    for page in (one, two):
        assert page.status_code == 200 and page.headers["X-Cache"] == "miss"
        assert "csrftoken" in page.headers["Set-Cookie"]
    assert first.cookies["csrftoken"] != second.cookies["csrftoken"]
    again = get(url, first)  # with its CSRF cookie, through Varnish
    assert again.headers["X-Cache"] == "miss"
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', again.text).group(1)
    posted = first.post(url, data={"csrfmiddlewaretoken": token}, timeout=10)
    assert posted.status_code != 403, "the CSRF cookie did not reach the site through Varnish"
    assert posted.headers["X-Cache"] == "miss" and "no-store" in posted.headers["Cache-Control"]


def test_a_purge_from_an_address_not_allowed_is_refused(site, program):
    url = site + program.get_absolute_url()
    get(url)
    with socket.create_connection(("127.0.0.1", urlsplit(site).port), source_address=("127.0.0.2", 0)) as conn:
        conn.sendall(b"PURGE / HTTP/1.1\r\nHost: x\r\nxkey-purge: site\r\nConnection: close\r\n\r\n")
        answer = conn.recv(200).decode()
    assert answer.startswith("HTTP/1.1 405")
    assert from_varnish(get(url))


def forward(listen_port, to_port):
    """A TCP forwarder: the purge address reachable again (a network path restored)."""
    server = socket.create_server(("127.0.0.1", listen_port))

    def pipe(source, target):
        try:
            while data := source.recv(65536):
                target.sendall(data)
        except OSError:
            pass
        finally:
            target.close()

    def accept():
        while True:
            try:
                client, _ = server.accept()
            except OSError:
                return
            upstream = socket.create_connection(("127.0.0.1", to_port))
            threading.Thread(target=pipe, args=(client, upstream), daemon=True).start()
            threading.Thread(target=pipe, args=(upstream, client), daemon=True).start()

    threading.Thread(target=accept, daemon=True).start()
    return server


def test_a_purge_while_varnish_cannot_be_reached_is_retried_and_lands_when_it_can(site, program, settings):
    url = site + program.get_absolute_url()
    get(url)
    assert from_varnish(get(url))
    purge_port = free_port()
    settings.SHARED_CACHE_PURGE_URLS = [f"http://127.0.0.1:{purge_port}/"]  # nothing there yet
    started = time.monotonic()
    program.refresh_from_db()
    program.name = "Renamed While Varnish Was Away"
    program.save()
    assert time.monotonic() - started < SECOND  # the save never waits for the cache
    time.sleep(1)
    assert "Renamed While Varnish Was Away" not in get(url).text  # still the old page: the purge waits
    assert purges.queue.pending()
    server = forward(purge_port, urlsplit(site).port)
    try:
        assert shows_within(url, "Renamed While Varnish Was Away", seconds=10) is not None
    finally:
        server.close()
