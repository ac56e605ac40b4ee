from django.apps import AppConfig


class SharedCacheConfig(AppConfig):
    """A shared cache in front of the site (Varnish, or a CDN: SHARED_CACHE): which responses it
    may keep and under which keys, and the purge of those keys after every change.

    Plumbing beside page_cache/: it knows nothing of SRO programs. Its keys are the page cache's
    tags (`page_cache.pages.shared_tags`), and its purges follow the page cache's bumps
    (`page_cache.pages.on_bump`), so what a change invalidates is still said in one place."""

    default = True
    name = "shared_cache"
    verbose_name = "Shared cache"

    def ready(self):
        from page_cache.pages import on_bump

        from . import purges

        on_bump(purges.after_bump)
