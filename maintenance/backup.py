"""One archive holding the whole site: a consistent copy of the database and every uploaded file.

The archive (`sro-backup-YYYYMMDDTHHMMSSZ.tar.gz`) holds:

- `database.sqlite3` (SQLite's online backup API: a consistent copy while the
  site keeps writing) or `database.pgdump` (`pg_dump`'s custom format, taken in
  a snapshot exported by a REPEATABLE READ transaction, so the row counts of the
  manifest are those of the dump);
- `media/...`: every uploaded file (photos, their renditions, agreement PDFs);
- `manifest.json`: row counts per model, each file's SHA-256 and size, the code
  version and the migrations applied.

`SECRET_KEY` and `.env` are never in it: they are kept apart (docs/operations/backups.md).
"""

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import tomllib
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connections, transaction
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

FORMAT_VERSION = 1
ARCHIVE_PREFIX = "sro-backup-"
MANIFEST = "manifest.json"
MEDIA_PREFIX = "media/"
SQLITE_TABLES = "SELECT name FROM sqlite_master WHERE type = 'table'"
POSTGRESQL_TABLES = "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
DATABASE_FILES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}


class BackupError(CommandError):
    pass


def engine_family(connection):
    if connection.vendor not in DATABASE_FILES:
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {connection.vendor}.")
    return connection.vendor


def sha256(data_or_path):
    digest = hashlib.sha256()
    if isinstance(data_or_path, bytes):
        digest.update(data_or_path)
    else:
        with open(data_or_path, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()


def code_version():
    """The project's version and, when it runs from a git checkout, its commit."""
    version = "unknown"
    pyproject = Path(settings.BASE_DIR) / "pyproject.toml"
    if pyproject.exists():
        version = tomllib.loads(pyproject.read_text()).get("project", {}).get("version", version)
    try:
        commit = subprocess.run(  # noqa: S603 (fixed arguments)
            ["git", "rev-parse", "--short", "HEAD"],  # noqa: S607 (git from PATH, if any)
            cwd=settings.BASE_DIR,
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        commit = ""
    return f"{version} ({commit})" if commit else version


def model_tables():
    """{"app_label.Model": db_table} for every table the project's models own."""
    tables = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.managed and not model._meta.proxy:
            tables.setdefault(model._meta.label, model._meta.db_table)
    return dict(sorted(tables.items()))


def _table_counts(cursor, quote, existing_tables_sql):
    """Rows per model; a model whose table is not there yet (a database not migrated to this code) is left out."""
    cursor.execute(existing_tables_sql)
    existing = {row[0] for row in cursor.fetchall()}
    counts = {}
    for label, table in model_tables().items():
        if table not in existing:
            continue
        cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # noqa: S608 (table names from the models)
        counts[label] = cursor.fetchone()[0]
    return counts


def _applied_migrations(cursor):
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
    return [f"{app}.{name}" for app, name in cursor.fetchall()]


def _pg_environment(connection):
    """libpq's environment variables for pg_dump and pg_restore: the password never appears on a command line."""
    params = connection.settings_dict
    env = {**os.environ, "PGDATABASE": params["NAME"]}
    for key, var in (("USER", "PGUSER"), ("HOST", "PGHOST"), ("PORT", "PGPORT"), ("PASSWORD", "PGPASSWORD")):
        if params.get(key):
            env[var] = str(params[key])
    return env


def _need_pg_tool(name):
    tool = shutil.which(name)
    if not tool:
        raise BackupError(
            f"`{name}` is not installed: a PostgreSQL site is backed up and restored with PostgreSQL's client "
            f"tools. Install them (Debian/Ubuntu: `apt-get install postgresql-client`, the same major version "
            f"as the server or newer) and run this again."
        )
    return tool


def _dump_sqlite(connection, target):
    """SQLite's online backup API: pages are copied while other processes keep reading and writing."""
    connection.ensure_connection()
    with sqlite3.connect(target) as copy:
        connection.connection.backup(copy)
    copy.close()
    with sqlite3.connect(target) as copy:
        cursor = copy.cursor()
        counts = _table_counts(cursor, connection.ops.quote_name, SQLITE_TABLES)
        migrations = _applied_migrations(cursor)
    copy.close()
    return counts, migrations


def _dump_postgresql(connection, target):
    pg_dump = _need_pg_tool("pg_dump")
    # One snapshot for the dump and the counts: they describe the very same data.
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        result = subprocess.run(  # noqa: S603 (the tool's full path; arguments from settings)
            [pg_dump, "--format=custom", "--no-owner", "--no-privileges", f"--snapshot={snapshot}", "--file", target],
            env=_pg_environment(connection),
            capture_output=True,
            text=True,
        )
        if result.returncode:
            raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
        return _table_counts(cursor, connection.ops.quote_name, POSTGRESQL_TABLES), _applied_migrations(cursor)


def _media_files(media_root):
    if not media_root.is_dir():
        return []
    return sorted(p for p in media_root.rglob("*") if p.is_file() and not p.is_symlink())


def create_backup(output_dir, using="default"):
    """Write one archive into output_dir and return (its path, its manifest)."""
    connection = connections[using]
    family = engine_family(connection)
    output_dir = Path(output_dir)
    output_dir.mkdir(parents=True, exist_ok=True)
    started = timezone.now()
    name = f"{ARCHIVE_PREFIX}{started:%Y%m%dT%H%M%SZ}.tar.gz"
    final = output_dir / name
    partial = output_dir / f".{name}.partial"
    media_root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(prefix="sro-backup-") as work:
        database_file = Path(work) / DATABASE_FILES[family]
        dump = _dump_sqlite if family == "sqlite" else _dump_postgresql
        counts, migrations = dump(connection, str(database_file))
        manifest = {
            "format": FORMAT_VERSION,
            "created_at": started.isoformat(),
            "code_version": code_version(),
            "database": {
                "engine": family,
                "file": database_file.name,
                "sha256": sha256(database_file),
                "size": database_file.stat().st_size,
            },
            "migrations": migrations,
            "row_counts": counts,
            "files": {},  # filled as they are written
        }
        # Readable by its owner only from the first byte: the public's personal data is in it.
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            with os.fdopen(descriptor, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as tar:
                tar.add(database_file, arcname=database_file.name)
                _add_media(tar, media_root, manifest["files"])
                _add_bytes(tar, MANIFEST, json.dumps(manifest, indent=2).encode(), started.timestamp())
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    partial.rename(final)  # never a half-written archive under the final name
    return final, manifest


def _add_bytes(tar, name, data, mtime):
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = len(data), int(mtime), 0o644
    tar.addfile(info, io.BytesIO(data))


def _add_media(tar, media_root, files):
    """Every uploaded file, each read once: its checksum is of the very bytes archived."""
    for path in _media_files(media_root):
        try:
            data, mtime = path.read_bytes(), path.stat().st_mtime
        except FileNotFoundError:  # deleted since listed (a photo replaced meanwhile)
            continue
        relative = path.relative_to(media_root).as_posix()
        _add_bytes(tar, MEDIA_PREFIX + relative, data, mtime)
        files[relative] = {"sha256": sha256(data), "size": len(data)}


# Restoring


def _read_archive(archive, into):
    """Unpack the archive into a folder and check it whole against its manifest, before anything is touched."""
    try:
        with tarfile.open(archive, "r:*") as tar:
            tar.extractall(into, filter="data")  # no absolute paths, links out of the folder or devices
    except (tarfile.TarError, OSError) as error:
        raise BackupError(f"{archive} cannot be read as a backup archive: {error}") from error
    into = Path(into)
    try:
        manifest = json.loads((into / MANIFEST).read_text())
    except (OSError, ValueError) as error:
        raise BackupError(f"{archive} has no readable {MANIFEST}: it is not a backup made by `backup`.") from error
    if manifest.get("format") != FORMAT_VERSION:
        raise BackupError(
            f"{archive} is in backup format {manifest.get('format')}; this version reads {FORMAT_VERSION}."
        )
    problems = []
    database = manifest["database"]
    if not (into / database["file"]).is_file() or sha256(into / database["file"]) != database["sha256"]:
        problems.append(f"the database copy {database['file']} is missing or does not match its checksum")
    media = into / "media"
    for relative, expected in manifest["files"].items():
        path = media / relative
        if not path.is_file() or sha256(path) != expected["sha256"]:
            problems.append(f"media/{relative} is missing or does not match its checksum")
    listed = set(manifest["files"])
    for path in _media_files(media):
        if path.relative_to(media).as_posix() not in listed:
            problems.append(f"media/{path.relative_to(media).as_posix()} is not in the manifest")
    if problems:
        shown = "; ".join(problems[:10]) + (f"; and {len(problems) - 10} more" if len(problems) > 10 else "")
        raise BackupError(f"{archive} is damaged, nothing was restored: {shown}.")
    return manifest


def database_holds_a_site(connection):
    """Whether the database already holds a site: any staff account or agency (a fresh `migrate` holds neither)."""
    tables = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        for table in ("auth_user", "programs_agency"):
            if table in tables:
                cursor.execute(f"SELECT 1 FROM {connection.ops.quote_name(table)} LIMIT 1")  # noqa: S608
                if cursor.fetchone():
                    return True
    return False


def _restore_sqlite(connection, database_file):
    connection.ensure_connection()
    if connection.in_atomic_block:
        raise BackupError("A restore cannot run inside a transaction.")
    with sqlite3.connect(database_file) as source:
        source.backup(connection.connection)  # replaces the whole database, schema included
    source.close()


def _restore_postgresql(connection, database_file):
    pg_restore = _need_pg_tool("pg_restore")
    with connection.cursor() as cursor:
        # Everything in the schema goes (tables, search functions, extensions); the dump recreates it.
        cursor.execute("DROP SCHEMA IF EXISTS public CASCADE")
        cursor.execute("CREATE SCHEMA public")
    connection.close()
    result = subprocess.run(  # noqa: S603 (the tool's full path; arguments from settings)
        [
            pg_restore,
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            "--dbname",
            connection.settings_dict["NAME"],
            str(database_file),
        ],
        env=_pg_environment(connection),
        capture_output=True,
        text=True,
    )
    if result.returncode:
        raise BackupError(f"pg_restore failed: {result.stderr.strip()}")


def restore_backup(archive, force=False, using="default"):
    """Put an archive back; returns a report (dict) of what was restored."""
    connection = connections[using]
    family = engine_family(connection)
    archive = Path(archive)
    if not archive.is_file():
        raise BackupError(f"{archive} does not exist.")
    media_root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(prefix="sro-restore-") as work:
        manifest = _read_archive(archive, work)
        if manifest["database"]["engine"] != family:
            raise BackupError(
                f"{archive} holds a {manifest['database']['engine']} database and this site runs on {family}: "
                f"restore it onto the same kind of database."
            )
        known = {f"{app}.{name}" for app, name in MigrationLoader(None, ignore_no_migrations=True).disk_migrations}
        unknown = sorted(set(manifest["migrations"]) - known)
        if unknown:
            raise BackupError(
                f"{archive} was made by a newer version of the site ({manifest['code_version']}): this code does "
                f"not know its migrations {', '.join(unknown[:5])}. Install that version, or a later one, and "
                f"restore again."
            )
        if not force:
            if database_holds_a_site(connection):
                raise BackupError(
                    "The database is not empty (it holds staff accounts or agencies): restoring would replace them. "
                    "Run it again with --force to replace the whole database and media folder."
                )
            if _media_files(media_root):
                raise BackupError(
                    f"The media folder {media_root} is not empty: restoring would mix two sites' files. "
                    "Empty it, or run it again with --force to replace it."
                )
        if family == "sqlite":
            _restore_sqlite(connection, Path(work) / manifest["database"]["file"])
        else:
            _restore_postgresql(connection, Path(work) / manifest["database"]["file"])
        with connection.cursor() as cursor:
            tables_sql = SQLITE_TABLES if family == "sqlite" else POSTGRESQL_TABLES
            restored = _table_counts(cursor, connection.ops.quote_name, tables_sql)
        differ = sorted(
            label for label, count in manifest["row_counts"].items() if label in restored and restored[label] != count
        )
        if differ:
            raise BackupError(
                f"The restored database does not hold the rows the manifest lists ({', '.join(differ[:5])}): "
                f"restore again with --force, or from another archive."
            )
        if media_root.is_dir():
            for child in media_root.iterdir():
                shutil.rmtree(child) if child.is_dir() and not child.is_symlink() else child.unlink()
        media_root.mkdir(parents=True, exist_ok=True)
        if (Path(work) / "media").is_dir():
            shutil.copytree(Path(work) / "media", media_root, dirs_exist_ok=True)
    # An archive from an older version: bring its database up to this code.
    applied_before = set(manifest["migrations"])
    call_command("migrate", interactive=False, verbosity=0, database=using)
    with connection.cursor() as cursor:
        migrated = sorted(set(_applied_migrations(cursor)) - applied_before)
    # Cached pages were rendered from the data just replaced.
    from programs.invalidation import site_changed_in_bulk

    site_changed_in_bulk()
    return {
        "archive": str(archive),
        "created_at": manifest["created_at"],
        "code_version": manifest["code_version"],
        "row_counts": manifest["row_counts"],
        "files": len(manifest["files"]),
        "migrated": migrated,
    }
