# Written by hand: the school search's indexes, which differ per database
# (programs/search.py explains the search itself).
#
# PostgreSQL: the pg_trgm and unaccent extensions; a text search configuration,
# programs_search, that is 'simple' (no stemming, no stop words: these are
# names) with accents removed by unaccent; a GIN index on the school's
# weighted full-text vector, an expression that must stay identical to the
# one programs/search.py queries (tests/programs/test_search.py checks the planner
# uses it); a GIN trigram index on the name, for the search's typo step.
#
# SQLite: an FTS5 table with the trigram tokenizer (SQLite 3.34 or newer) over
# the school's name, city and district, kept in step with programs_school by
# triggers.
#
# None of this is in the model's Meta.indexes: on SQLite, Django rebuilds a
# table for many schema changes and would then try to create PostgreSQL's GIN
# indexes there. The other side of that rebuild: on SQLite it drops the
# triggers below with the old table. A later migration that makes SQLite
# rebuild programs_school (altering one of its fields, say) must run
# create_sqlite_search again afterwards; tests/programs/test_search.py fails until it
# does.

import django.contrib.postgres.operations
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations

COLUMNS = ("name", "city", "district")
TRIGGERS = ("programs_school_search_insert", "programs_school_search_delete", "programs_school_search_update")
CONFIG = "programs_search"


class OnPostgreSQL:
    """Django's extension operations do nothing on other databases going forward, but going
    back they ask the database whether the extension exists, a query only PostgreSQL knows."""

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class TrigramExtension(OnPostgreSQL, django.contrib.postgres.operations.TrigramExtension):
    pass


class UnaccentExtension(OnPostgreSQL, django.contrib.postgres.operations.UnaccentExtension):
    pass


def postgresql_indexes():
    vector = (
        SearchVector("name", weight="A", config=CONFIG)
        + SearchVector("city", weight="B", config=CONFIG)
        + SearchVector("district", weight="C", config=CONFIG)
    )
    return [
        GinIndex(vector, name="programs_school_search_fts"),
        GinIndex(fields=["name"], opclasses=["gin_trgm_ops"], name="programs_school_name_trgm"),
    ]


def create_postgresql_search(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT extnamespace::regnamespace::text FROM pg_extension WHERE extname = 'unaccent'")
        unaccent_schema = cursor.fetchone()[0]
    schema_editor.execute(f"CREATE TEXT SEARCH CONFIGURATION {CONFIG} (COPY = pg_catalog.simple)")
    # Words with letters beyond ASCII lose their accents: "Española" is indexed, and found, as "espanola".
    schema_editor.execute(
        f"ALTER TEXT SEARCH CONFIGURATION {CONFIG} ALTER MAPPING FOR hword, hword_part, word "
        f"WITH {unaccent_schema}.unaccent, pg_catalog.simple"
    )
    school = apps.get_model("programs", "School")
    for index in postgresql_indexes():
        schema_editor.add_index(school, index)


def drop_postgresql_search(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    school = apps.get_model("programs", "School")
    for index in postgresql_indexes():
        schema_editor.remove_index(school, index)
    schema_editor.execute(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {CONFIG}")


def create_sqlite_search(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    version = schema_editor.connection.Database.sqlite_version_info
    if version < (3, 34, 0):
        raise RuntimeError(
            "The school search needs SQLite 3.34 or newer (FTS5's trigram tokenizer); "
            f"this Python uses SQLite {schema_editor.connection.Database.sqlite_version}."
        )
    # 3.45 taught the trigram tokenizer to ignore accents ("Espanola" finds "Española").
    tokenizer = "trigram remove_diacritics 1" if version >= (3, 45, 0) else "trigram"
    table = apps.get_model("programs", "School")._meta.db_table
    columns = ", ".join(COLUMNS)
    new = ", ".join(f"new.{column}" for column in COLUMNS)
    old = ", ".join(f"old.{column}" for column in COLUMNS)
    insert = f"INSERT INTO programs_school_search(rowid, {columns}) VALUES (new.id, {new});"
    delete = (
        f"INSERT INTO programs_school_search(programs_school_search, rowid, {columns}) "
        f"VALUES ('delete', old.id, {old});"
    )
    for statement in [
        f"""CREATE VIRTUAL TABLE programs_school_search USING fts5(
            {columns}, content='{table}', content_rowid='id', tokenize='{tokenizer}')""",
        f"CREATE TRIGGER programs_school_search_insert AFTER INSERT ON {table} BEGIN {insert} END",
        f"CREATE TRIGGER programs_school_search_delete AFTER DELETE ON {table} BEGIN {delete} END",
        f"CREATE TRIGGER programs_school_search_update AFTER UPDATE OF {columns} ON {table} "
        f"BEGIN {delete} {insert} END",
        "INSERT INTO programs_school_search(programs_school_search) VALUES ('rebuild')",
    ]:
        schema_editor.execute(statement)


def drop_sqlite_search(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for trigger in TRIGGERS:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    schema_editor.execute("DROP TABLE IF EXISTS programs_school_search")


class Migration(migrations.Migration):
    dependencies = [
        ("programs", "0011_school_directory_fields"),
    ]

    operations = [
        # Each does nothing on databases other than its own.
        TrigramExtension(),
        UnaccentExtension(),
        migrations.RunPython(create_postgresql_search, drop_postgresql_search, elidable=False),
        migrations.RunPython(create_sqlite_search, drop_sqlite_search, elidable=False),
    ]
