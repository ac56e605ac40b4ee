"""A whole site, as one that has run for a while holds it, and what it serves: for the backup
and restore tests and the migration round trip."""

import re
import shutil
from io import StringIO
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from inbox.models import Submission
from officer_feedback.models import Feedback
from programs.models import Photo, Program
from tests.factories import UserFactory
from tests.programs.test_images import jpeg_with_gps
from tests.public_pages import PUBLIC_PAGES

CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"')


def build_site(client):
    """The demo, with what a site gathers over time: requests, a complaint, an uploaded photo, history."""
    call_command("load_demo", stdout=StringIO())
    program = Program.objects.get(slug="st-charles-county")
    Submission.objects.create(
        program=program, kind="question", name="Robin Parent", email="robin@example.org", message="Who is our SRO?"
    )
    Submission.objects.create(
        program=program,
        kind="presentation",
        name="Sam Teacher",
        email="sam@example.org",
        preferred_date_1="2027-02-01",
        status="closed",
    )
    Feedback.objects.create(program=program, kind="commendation", what_happened="Kind and patient.", name="Lee")
    photo = Photo.objects.create(program=program, image=jpeg_with_gps(width=800, height=600), alt_text="At a fair")
    photo.alt_text = "Officer at the county fair"
    photo.save()  # photo history: what made migration 0006 irreversible
    officer = program.agency.officers.first()
    officer.photo, officer.photo_alt = jpeg_with_gps(width=640, height=480), "Officer in uniform"
    officer.save()
    program.summary = program.summary + " Edited once, for the history."
    program.save()
    admin = UserFactory(username="backup-admin", is_staff=True, is_superuser=True)
    client.force_login(admin)  # the session is in the database too, and comes back with it
    return program


def public_pages(client):
    pages = {}
    for name, (path, post) in PUBLIC_PAGES.items():
        if post is None:
            response = client.get(path)
            pages[name] = (response.status_code, CSRF.sub(b"", response.content))
    return pages


def admin_pages(client, program):
    paths = [
        reverse("admin:inbox_submission_changelist"),
        reverse("admin:programs_photo_changelist"),
        reverse("admin:agreements_agreement_changelist"),
        reverse("admin:officer_feedback_feedback_changelist"),
        reverse("admin:programs_program_history", args=[program.pk]),
    ]
    pages = {}
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        pages[path] = CSRF.sub(b"", response.content)
    return pages


def media_files():
    root = Path(settings.MEDIA_ROOT)
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def wipe():
    """What a lost host leaves: no database tables, no uploaded files."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("DROP SCHEMA public CASCADE")
            cursor.execute("CREATE SCHEMA public")
        else:
            cursor.execute("PRAGMA foreign_keys = OFF")
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL%'")
            virtual = [row[0] for row in cursor.fetchall()]  # first: their shadow tables go with them
            for table in virtual + connection.introspection.table_names(cursor):
                cursor.execute(f"DROP TABLE IF EXISTS {connection.ops.quote_name(table)}")
            cursor.execute("PRAGMA foreign_keys = ON")
    shutil.rmtree(settings.MEDIA_ROOT)
