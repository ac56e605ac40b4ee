"""`manage.py purge_shared_cache [--all | KEY...]`: purge the shared cache in front by hand."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from page_cache.pages import in_language
from shared_cache import caches
from shared_cache import keys as surrogate_keys


class Command(BaseCommand):
    help = (
        "Purge pages from the shared cache in front of the site (SHARED_CACHE): every page with --all, or those "
        "carrying the keys given (program-7-es), or a page-cache tag in every language (program:7). Sent at once; "
        "fails with the cache's answer when it cannot be reached."
    )

    def add_arguments(self, parser):
        parser.add_argument("keys", nargs="*", metavar="KEY", help="Surrogate keys (program-7-es) or tags (program:7).")
        parser.add_argument(
            "--all", action="store_true", dest="everything", help="Every page of the site (the key every page carries)."
        )

    def handle(self, *args, keys, everything, **options):
        cache = caches.configured()
        if cache is None:
            raise CommandError("SHARED_CACHE is none: there is no shared cache to purge.")
        if everything == bool(keys):
            raise CommandError("Give --all or one or more keys, not both.")
        wanted = {surrogate_keys.EVERY_PAGE} if everything else set()
        for given in keys:
            if ":" in given:  # a page-cache tag: its pages in every language
                languages = [code for code, _ in settings.LANGUAGES]
                wanted |= {surrogate_keys.key(in_language(given, language)) for language in languages}
            else:
                wanted.add(surrogate_keys.key(given))
        try:
            cache.purge(sorted(wanted))
        except caches.PurgeFailed as exc:
            raise CommandError(f"The {cache.name} purge failed: {exc}") from exc
        self.stdout.write(f"Purged at {cache.name}: {' '.join(sorted(wanted))}")
