"""`backup` and `restore`: a whole site (the demo, submissions, complaints, an uploaded photo,
agreement PDFs, history) backed up, wiped and brought back, on the database the suite runs on
(SQLite, and PostgreSQL in CI's second pass: `DATABASE_URL=postgres://...`)."""

import io
import json
import shutil
import tarfile
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.urls import reverse

from inbox.models import Submission
from maintenance import backup
from programs.models import Photo, Program
from tests.whole_site import admin_pages, build_site, media_files, public_pages, wipe

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def site(client):
    program = build_site(client)
    yield program
    if "programs_program" not in connection.introspection.table_names():  # a test left it wiped
        call_command("migrate", verbosity=0)


def run(command, *args):
    out = StringIO()
    call_command(command, *args, stdout=out)
    return out.getvalue()


def test_a_site_backed_up_wiped_and_restored_serves_the_same_pages_admin_and_files(client, site, tmp_path):
    pages, admin, files = public_pages(client), admin_pages(client, site), media_files()
    assert any(name.endswith(".pdf") for name in files) and any(name.endswith("-320.webp") for name in files)

    output = run("backup", "--output", str(tmp_path))
    archive = next(tmp_path.glob("sro-backup-*.tar.gz"))
    assert str(archive) in output
    wipe()
    output = run("restore", str(archive))

    assert "2 uploaded files" not in output and f"{len(files)} uploaded files" in output
    assert "inbox.Submission: 2" in output
    assert media_files() == files
    assert public_pages(client) == pages
    assert admin_pages(client, site) == admin
    assert b"Edited once, for the history." in admin[reverse("admin:programs_program_history", args=[site.pk])]


def test_the_manifest_holds_row_counts_checksums_code_version_and_migrations(site, tmp_path):
    archive, manifest = backup.create_backup(tmp_path)
    assert archive.name.startswith("sro-backup-") and archive.stat().st_mode & 0o077 == 0  # owner only
    assert manifest["row_counts"]["inbox.Submission"] == 2
    assert manifest["row_counts"]["officer_feedback.Feedback"] == 1
    assert manifest["row_counts"]["programs.Photo"] == Photo.objects.count()
    assert manifest["row_counts"]["programs.HistoricalProgram"] > 0
    assert "programs.0001_initial" in manifest["migrations"]
    assert manifest["code_version"].startswith("0.1.0")
    photo = Photo.objects.get()
    with photo.image.open("rb") as f:
        assert manifest["files"][photo.image.name]["sha256"] == backup.sha256(f.read())
    with tarfile.open(archive) as tar:
        names = tar.getnames()
    assert backup.DATABASE_FILES[connection.vendor] in names
    assert "media/" + photo.image.name in names
    assert not any(".env" in name or "settings" in name for name in names)


def test_restore_refuses_a_database_holding_a_site_unless_forced(client, site, tmp_path):
    archive, _ = backup.create_backup(tmp_path)
    with pytest.raises(CommandError, match="not empty.*--force"):
        run("restore", str(archive))
    assert Submission.objects.count() == 2  # untouched


def test_restore_refuses_a_media_folder_with_files_unless_forced(site, tmp_path):
    archive, _ = backup.create_backup(tmp_path)
    media = Path(settings.MEDIA_ROOT)
    # A freshly migrated database (tables, no rows) and someone else's file: only the files are in the way.
    # Emptied, not wiped: dropping the tables would cost a whole `migrate` to put them back after the test.
    call_command("flush", interactive=False, verbosity=0)
    shutil.rmtree(media)
    media.mkdir()
    (media / "someone-elses.jpg").write_bytes(b"x")
    with pytest.raises(CommandError, match="media folder .* is not empty"):
        run("restore", str(archive))


def test_a_forced_restore_replaces_later_edits_cached_pages_and_files(client, site, tmp_path):
    archive, manifest = backup.create_backup(tmp_path)
    original_name = site.name
    Program.objects.filter(pk=site.pk).update(name="Renamed after the backup")
    site.refresh_from_db()
    site.save()  # through the model, so its cached page is invalidated and re-rendered
    assert b"Renamed after the backup" in client.get(site.get_absolute_url()).content  # now in the page cache
    stray = Path(settings.MEDIA_ROOT) / "added-later.pdf"
    stray.write_bytes(b"%PDF-1.4")

    run("restore", "--force", str(archive))

    page = client.get(site.get_absolute_url()).content
    assert b"Renamed after the backup" not in page and original_name.encode() in page
    assert not stray.exists()
    assert set(media_files()) == set(manifest["files"])


def rewrite(archive, change_member):
    """A copy of the archive with one member's bytes changed by change_member(name, data) -> data."""
    damaged = archive.with_name("changed-" + archive.name)
    with tarfile.open(archive) as source, tarfile.open(damaged, "w:gz") as target:
        for member in source.getmembers():
            data = source.extractfile(member).read()
            data = change_member(member.name, data)
            member.size = len(data)
            target.addfile(member, io.BytesIO(data))
    return damaged


def test_a_damaged_file_in_the_archive_is_refused_before_anything_is_touched(client, site, tmp_path):
    archive, _ = backup.create_backup(tmp_path)
    damaged = rewrite(archive, lambda name, data: data[:-10] + b"0123456789" if name.endswith(".pdf") else data)
    with pytest.raises(CommandError, match=r"damaged, nothing was restored: media/agreements/.*checksum"):
        run("restore", "--force", str(damaged))
    assert Submission.objects.count() == 2


def test_an_archive_from_a_newer_version_is_refused(site, tmp_path):
    archive, _ = backup.create_backup(tmp_path)

    def future(name, data):
        if name != "manifest.json":
            return data
        manifest = json.loads(data)
        manifest["migrations"].append("programs.9999_from_the_future")
        return json.dumps(manifest).encode()

    with pytest.raises(CommandError, match="newer version.*programs.9999_from_the_future"):
        run("restore", "--force", str(rewrite(archive, future)))


def test_an_archive_of_another_kind_of_database_is_refused(site, tmp_path):
    archive, _ = backup.create_backup(tmp_path)
    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"

    def other_engine(name, data):
        if name != "manifest.json":
            return data
        manifest = json.loads(data)
        manifest["database"]["engine"] = other
        return json.dumps(manifest).encode()

    with pytest.raises(CommandError, match=f"holds a {other} database"):
        run("restore", "--force", str(rewrite(archive, other_engine)))


def test_an_archive_from_an_older_version_is_restored_then_migrated(client, site, tmp_path):
    graph = MigrationLoader(connection).graph
    latest = graph.leaf_nodes("programs")[0]
    previous = graph.node_map[latest].parents
    (before,) = [p for p in previous if p[0] == "programs"]
    call_command("migrate", "programs", before[1], verbosity=0)  # the database as the previous version left it
    archive, manifest = backup.create_backup(tmp_path)
    assert f"programs.{latest[1]}" not in manifest["migrations"]
    call_command("migrate", verbosity=0)
    wipe()
    output = run("restore", str(archive))
    assert "Then applied" in output and f"programs.{latest[1]}" in output
    assert client.get(site.get_absolute_url()).status_code == 200


def test_without_postgresql_client_tools_the_message_says_what_to_install(monkeypatch):
    monkeypatch.setattr(backup.shutil, "which", lambda name: None)
    with pytest.raises(CommandError, match="`pg_dump` is not installed.*postgresql-client"):
        backup._need_pg_tool("pg_dump")


def test_restored_rows_are_counted_against_the_manifest(site, tmp_path):
    archive, _ = backup.create_backup(tmp_path)

    def one_more_request(name, data):
        if name != "manifest.json":
            return data
        manifest = json.loads(data)
        manifest["row_counts"]["inbox.Submission"] += 1
        return json.dumps(manifest).encode()

    with pytest.raises(CommandError, match=r"does not hold the rows the manifest lists \(inbox.Submission\)"):
        run("restore", "--force", str(rewrite(archive, one_more_request)))
