"""Real-browser tests: Debian's Chromium driven by Playwright against a live server.

Where Chromium or the npm tools cannot be had, these tests skip with a loud
message on a developer's machine, and fail in CI (CI=true): no silent skip.
"""

import os
import shutil
import sqlite3
import tempfile
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.local_tools import unavailable_for

# Playwright's sync API runs an event loop in this thread; Django's guard
# against ORM use from async code would trip on the live server's data set-up.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PROJECT = Path(__file__).resolve().parents[2]
AXE = PROJECT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORTS = {"phone": {"width": 375, "height": 812}, "desktop": {"width": 1280, "height": 900}}


unavailable = unavailable_for("BROWSER TESTS")


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        unavailable(f"no Chromium at {CHROMIUM}; install it with `apt-get install -y chromium`")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("the playwright package is missing; run `make test` to install requirements-dev.txt")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def axe_source():
    if not AXE.exists():
        unavailable(f"{AXE} is missing; run `npm ci` (make test does)")
    return AXE.read_text()


class DemoCopy:
    """The demo (`load_demo`) in an SQLite test database in memory, kept as a copy with its
    uploaded files: putting it back takes milliseconds where `load_demo` took a second or two
    in each browser test. Each test still starts from a fresh demo, and pytest-django still
    empties the database after it (transactional_db), so what one test writes never reaches
    the next."""

    def __init__(self, connection):
        from django.test import override_settings
        from django.utils import translation

        self.connection = connection
        self.media = Path(tempfile.mkdtemp(prefix="sro-demo-media-"))
        with override_settings(MEDIA_ROOT=self.media), translation.override("en"):
            call_command("load_demo", stdout=StringIO())
        self.database = sqlite3.connect(":memory:", check_same_thread=False)
        connection.connection.backup(self.database)

    def put_back(self, media_root):
        from django.contrib.contenttypes.models import ContentType

        self.database.backup(self.connection.connection)
        # The flush before refilled this cache from its own rows, whose ids the copy may not share.
        ContentType.objects.clear_cache()
        shutil.copytree(self.media, media_root, dirs_exist_ok=True)

    def close(self):
        self.database.close()
        shutil.rmtree(self.media, ignore_errors=True)


@pytest.fixture(scope="session")
def demo_copy():
    """Holds the DemoCopy, made by the first test that needs the demo."""
    holder = []
    yield holder
    for copy in holder:
        copy.close()


@pytest.fixture
def demo_site(live_server, transactional_db, demo_copy, settings):
    from django.db import connection

    connection.ensure_connection()
    if connection.vendor != "sqlite" or not connection.is_in_memory_db():
        # PostgreSQL: the live server has a connection of its own; load the demo for each test.
        call_command("load_demo", stdout=StringIO())
    elif demo_copy:
        demo_copy[0].put_back(settings.MEDIA_ROOT)
    else:
        demo_copy.append(DemoCopy(connection))
        demo_copy[0].put_back(settings.MEDIA_ROOT)
    return live_server.url


EDITOR_PASSWORD = "plum orchard lantern river"


@pytest.fixture
def jefferson_editor(demo_site, settings):
    """The demo site with the second factor on, and an editor of the Jefferson County agency with an authenticator."""
    from django.contrib.auth import get_user_model

    from tests.signin import authenticator_for

    settings.OTP_REQUIRED = True
    call_command("add_editor", "jeditor", "jefferson-county-sheriffs-office", "--no-invite", stdout=StringIO())
    user = get_user_model().objects.get(username="jeditor")
    user.set_password(EDITOR_PASSWORD)
    user.save()
    return demo_site, authenticator_for(user)


def sign_in(page, site, device, username="jeditor", password=EDITOR_PASSWORD):
    """Both steps in the browser, with the keyboard: password, then the authenticator's code."""
    from tests.signin import code_for

    page.goto(site + "/admin/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    with page.expect_navigation():
        page.locator("#id_password").press("Enter")
    page.locator("#id_code").fill(code_for(device))
    with page.expect_navigation():
        page.locator("#id_code").press("Enter")


@pytest.fixture(params=list(VIEWPORTS), ids=list(VIEWPORTS))
def page(request, browser):
    context = browser.new_context(viewport=VIEWPORTS[request.param])
    page = context.new_page()
    yield page
    context.close()
