"""Which cached pages a model change affects: the mechanism.

Each app registers the models its public pages show, with the tags a change of
one of their objects affects (`register`, from the app's ready(); the domain's
list is programs/invalidation.py). A save or a delete then bumps those tags once
the change commits, so no instance re-caches a page from data not yet visible
to it; work that must happen inside the change's own transaction (the program
pages' stored documents) registers with `within_the_change`.

A change to one language's text alone (django-modeltranslation's `summary_es`)
bumps that language's pages only.
"""

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_save, pre_delete, pre_save

from .pages import bump

# {model: fn(object) -> the tags a change of it affects}. A model public pages show gets
# its line (a test fails until it has one, or is listed in NOT_ON_PUBLIC_PAGES or DERIVED).
REGISTRY = {}
# Models no public page shows (staff-only records), by label: "app.model".
NOT_ON_PUBLIC_PAGES = set()
# Built from the registered models, never edited: kept current by the same changes.
DERIVED = set()
# Tags bumped by every change of public content, whatever it is (the open-data API's lists span them all).
EVERY_CHANGE = set()
# Raised by every save (optimistic locking), shown on no page.
BOOKKEEPING = {"version"}

_in_the_change = []


def register(model, tags):
    """A model public pages show, with the tags a change of one of its objects affects."""
    REGISTRY[model] = tags
    _connect(model)


def not_on_public_pages(*labels):
    NOT_ON_PUBLIC_PAGES.update(labels)


def derived(*labels):
    DERIVED.update(labels)


def also_on_every_change(*tags):
    """For pages that show a little of everything (open_data/): their tags go stale on any change."""
    EVERY_CHANGE.update(tags)


def within_the_change(fn):
    """fn(tags, languages), called inside the change's transaction before the tags are bumped."""
    if fn not in _in_the_change:
        _in_the_change.append(fn)


def invalidate(tags, languages=None):
    tags = set(tags) | EVERY_CHANGE
    for fn in _in_the_change:
        fn(tags, languages)
    transaction.on_commit(lambda: bump(tags, languages))


def _field_languages(model):
    """{field name: its language} for the model's translated fields (django-modeltranslation):
    `summary_es` is Spanish, `summary_en` English; `summary` itself (None) reads one of them."""
    try:
        from modeltranslation.translator import NotRegistered, translator
    except ImportError:  # pragma: no cover: a requirement
        return {}
    try:
        options = translator.get_options_for_model(model)
    except NotRegistered:
        return {}
    found = {}
    for name, fields in options.all_fields.items():
        found[name] = None  # read through the active language; its per-language fields tell
        for field in fields:
            found[field.name] = field.language
    return found


def _languages_changed(sender, old, new):
    """The languages whose pages a change affects: those of its translated fields when only
    they changed (a Spanish summary re-renders only Spanish pages), else None (all). The
    default language's text is every language's fallback: a change to it affects all."""
    if old is None:
        return None
    by_field = _field_languages(sender)
    if not by_field:
        return None
    languages = set()
    for field in sender._meta.concrete_fields:
        if field.name in BOOKKEEPING or getattr(field, "auto_now", False):
            continue  # changed by every save, shown on no page
        if field.value_from_object(old) == field.value_from_object(new):
            continue
        if field.name not in by_field:
            return None
        if by_field[field.name] == settings.LANGUAGE_CODE:
            return None
        if by_field[field.name] is not None:
            languages.add(by_field[field.name])
    return sorted(languages) or None


def _tags_before_change(sender, instance, **kwargs):
    """A change can move an object (a school to another agency): its old pages go stale too."""
    if instance.pk is None:
        return
    old = sender.objects.filter(pk=instance.pk).first()
    instance._page_cache_old_tags = REGISTRY[sender](old) if old else set()
    instance._page_cache_languages = _languages_changed(sender, old, instance)


def _changed(sender, instance, **kwargs):
    tags = REGISTRY[sender](instance) | getattr(instance, "_page_cache_old_tags", set())
    languages = getattr(instance, "_page_cache_languages", None) if kwargs.get("signal") is post_save else None
    invalidate(tags, languages)


def _connect(model):
    uid = f"page-cache-{model._meta.label_lower}"
    pre_save.connect(_tags_before_change, sender=model, dispatch_uid=uid + "-pre")
    post_save.connect(_changed, sender=model, dispatch_uid=uid + "-save")
    # Before the delete: the rows linking the object (a topic's programs) go
    # with it, and afterwards no join would find the documents that show it.
    pre_delete.connect(_changed, sender=model, dispatch_uid=uid + "-delete")
