"""`manage.py restore ARCHIVE [--force]`: put back what `backup` wrote (maintenance/backup.py)."""

from django.core.management.base import BaseCommand

from maintenance.backup import restore_backup


class Command(BaseCommand):
    help = (
        "Restore an archive written by `backup` into an empty database and media folder (--force replaces "
        "what is there). Checks every checksum first, and migrates an archive from an older version."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="The sro-backup-*.tar.gz file.")
        parser.add_argument(
            "--force", action="store_true", help="Replace the database and media folder even if they hold a site."
        )

    def handle(self, *args, archive, force, **options):
        report = restore_backup(archive, force=force)
        counts = report["row_counts"]
        self.stdout.write(
            f"Restored {report['archive']} (made {report['created_at']} by version {report['code_version']}): "
            f"{sum(counts.values())} rows and {report['files']} uploaded files."
        )
        for label, count in counts.items():
            if count:
                self.stdout.write(f"  {label}: {count}")
        if report["migrated"]:
            migrated = report["migrated"]
            self.stdout.write(f"Then applied {len(migrated)} newer migrations: {', '.join(migrated)}.")
        else:
            self.stdout.write("Its migrations match this version's: nothing to migrate.")
