"""Every migration can be undone: a site holding the demo, requests, a complaint, photos and their
history is migrated to zero and back up, and serves the same pages with the same data afterwards
(on the database the suite runs on: SQLite, and PostgreSQL in CI's second pass)."""

from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.test import override_settings

from programs.invalidation import site_changed_in_bulk
from tests.whole_site import admin_pages, build_site, media_files, public_pages

pytestmark = pytest.mark.django_db(transaction=True)


def schema():
    """Every table with its columns (name, type, nullable): what migrations build."""
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        return {
            table: sorted(
                (column.name, column.type_code, column.null_ok)
                for column in connection.introspection.get_table_description(cursor, table)
            )
            for table in tables
        }


def applied():
    return MigrationLoader(connection).applied_migrations


def test_the_whole_site_migrates_to_zero_and_back_and_serves_the_same(client, tmp_path):
    program = build_site(client)
    pages, admin, files = public_pages(client), admin_pages(client, program), media_files()
    tables_before, migrations_before = schema(), set(applied())
    data = tmp_path / "site.json"
    call_command(
        "dumpdata",
        "--natural-foreign",
        "--exclude=contenttypes",
        "--exclude=auth.permission",
        f"--output={data}",
        verbosity=0,
    )

    # The project's apps first; then, as Django's own auth 0002 cannot shorten permission names
    # (varchar 255 to 50 on PostgreSQL) while a longer one exists ("Can change historical
    # professional-standards contact"), the content types and permissions of the models whose
    # tables are gone; then Django's and the libraries' apps.
    ours = [
        app.label
        for app in apps.get_app_configs()
        # The virtualenv may sit in the project's folder (make test puts it in .venv): its apps are not ours.
        if Path(app.path).is_relative_to(settings.BASE_DIR) and "site-packages" not in Path(app.path).parts
    ]
    migrated = sorted(MigrationLoader(connection).migrated_apps)
    for app in [app for app in migrated if app in ours]:
        call_command("migrate", app, "zero", interactive=False, verbosity=0, stdout=StringIO())
    ContentType.objects.filter(app_label__in=ours).delete()
    for app in [app for app in migrated if app not in ours]:
        call_command("migrate", app, "zero", interactive=False, verbosity=0, stdout=StringIO())
    assert not applied()
    assert set(connection.introspection.table_names()) <= {"django_migrations", "sqlite_sequence"}

    call_command("migrate", interactive=False, verbosity=0, stdout=StringIO())
    assert set(applied()) == migrations_before
    assert schema() == tables_before

    ContentType.objects.clear_cache()  # their ids were made anew
    with override_settings(SIMPLE_HISTORY_ENABLED=False):  # the history rows come from the file
        call_command("loaddata", str(data), verbosity=0)
    site_changed_in_bulk()
    assert media_files() == files  # migrations never touch uploaded files
    assert public_pages(client) == pages
    assert admin_pages(client, program) == admin


def test_the_latest_migration_of_each_app_rolls_back_and_forward_keeping_the_data(client):
    """What a rolled-back release does (README, "Upgrading"): each app's last migration undone and redone."""
    program = build_site(client)
    pages = public_pages(client)
    graph = MigrationLoader(connection).graph
    for app in ("programs", "officer_feedback", "agreements"):
        (latest,) = graph.leaf_nodes(app)
        parents = [parent for parent in graph.node_map[latest].parents if parent[0] == app]
        call_command("migrate", app, parents[0][1] if parents else "zero", verbosity=0, stdout=StringIO())
        call_command("migrate", verbosity=0, stdout=StringIO())
    site_changed_in_bulk()
    assert public_pages(client) == pages
    assert program.submissions.count() == 2
