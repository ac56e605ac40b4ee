from django.apps import AppConfig


class PageCacheConfig(AppConfig):
    """The cache of anonymous public pages, by tag versions, and how a change reaches every instance.

    Plumbing: it knows nothing of SRO programs. The apps tell it which tags a page shows
    (`tag_page`) and which tags a model change affects (`invalidation.register`)."""

    default = True
    name = "page_cache"
    verbose_name = "Page cache"
