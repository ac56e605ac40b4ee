"""`manage.py backup [--output DIR]`: one archive of the database and every uploaded file (maintenance/backup.py)."""

from django.conf import settings
from django.core.management.base import BaseCommand

from maintenance.backup import create_backup


class Command(BaseCommand):
    help = (
        "Write one timestamped archive (sro-backup-*.tar.gz) holding a consistent copy of the database, taken "
        "while the site keeps serving, every uploaded file and a manifest. SECRET_KEY and .env are not in it."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", default=str(settings.BACKUP_DIR), help="Folder to write the archive to (default: BACKUP_DIR)."
        )

    def handle(self, *args, output, **options):
        path, manifest = create_backup(output)
        rows = sum(manifest["row_counts"].values())
        size = path.stat().st_size
        self.stdout.write(
            f"Wrote {path} ({size / 1_000_000:.1f} MB): {rows} rows in {len(manifest['row_counts'])} tables, "
            f"{len(manifest['files'])} uploaded files, {len(manifest['migrations'])} migrations applied, "
            f"code version {manifest['code_version']}."
        )
        self.stdout.write("Copy it off this host. SECRET_KEY and .env are not in it: keep them separately.")
