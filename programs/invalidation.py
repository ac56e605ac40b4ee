"""Which cached pages each model change affects: one line per model.

Tags used by the views (programs/views.py, programs/seo.py):
  programs       the home page's states and programs, topic pages' program lists, sitemap
  states         state names and which states have programs: home page, school search's state filter, sitemap
  state-programs:<id>  a state page's list of programs (their counties, agencies and phones)
  topics         the topic list
  search         school search results and the sitemap's school list
  program:<id>   a program page (its goals, roles, outcomes, partners, photos, topics)
  agency:<id>    the agency's program pages, their vCards and its schools' pages
  state:<id>     the tip line shown on program pages
  topic:<id>     a topic's name and description: its page, the pages of programs teaching it
  topic-programs:<id>  which programs teach a topic: its page
  school:<id>    a school page
  alerts         every public page (the alert banner)
  program-data:<id>  a program's yearly figures: its data page and CSV (program_data/)
  state-data:<id>    the yearly figures of a state's programs: the state's data page
  open-data      the API, CSV downloads and catalog (open_data/): every change (also_on_every_change)
"""

from django.conf import settings
from django.db import transaction
from django.db.models.signals import m2m_changed, post_save, pre_delete, pre_save

from . import models
from .page_cache import bump
from .program_pages import mark_all_stale, mark_stale


def _agency_tags(agency_id):
    return {f"agency:{agency_id}", "search"}


def _program_tags(program_id):
    return {f"program:{program_id}"}


# Every model public pages show, and the tags a change of one of its objects
# affects. A new model shown on public pages gets its line here (a test fails
# until it has one, or is listed in NOT_ON_PUBLIC_PAGES).
REGISTRY = {
    models.State: lambda o: {f"state:{o.pk}", "states"},
    # A move to another state: the old state's page goes stale too (_tags_before_change).
    models.Agency: lambda o: {f"agency:{o.pk}", "programs", "search", f"state-programs:{o.state_id}"},
    models.Program: lambda o: (
        _agency_tags(o.agency_id) | _program_tags(o.pk) | {"programs", f"state-programs:{o.agency.state_id}"}
    ),
    models.MissionRole: lambda o: _program_tags(o.program_id),
    models.Goal: lambda o: _program_tags(o.program_id),
    models.Outcome: lambda o: _program_tags(o.program_id),
    models.Partnership: lambda o: _program_tags(o.program_id),
    models.Photo: lambda o: _program_tags(o.program_id),
    # Program cards (home, topic pages) do not show topics; the topic pages do.
    models.EducationTopic: lambda o: {f"topic:{o.pk}", "topics"},
    models.Officer: lambda o: _agency_tags(o.agency_id),
    models.School: lambda o: _agency_tags(o.agency_id) | {f"school:{o.pk}"},
    models.Assignment: lambda o: _agency_tags(o.school.agency_id) | {f"school:{o.school_id}"},
    models.Alert: lambda o: {"alerts"},
}


# Models no public page shows: staff memberships, the form submissions inbox.
NOT_ON_PUBLIC_PAGES = {"programs.agencymembership", "programs.submission"}
# Built from the models above, never edited: kept current by the same changes (programs/program_pages.py;
# the search's vocabulary, programs/search.py, changes only when a school does).
DERIVED = {"programs.programpage", "programs.searchword"}


# Tags bumped by every change of public content, whatever it is (the open-data API's lists span them all).
EVERY_CHANGE = set()


def also_on_every_change(*tags):
    """For pages that show a little of everything (open_data/): their tags go stale on any change."""
    EVERY_CHANGE.update(tags)


def _invalidate(tags, languages=None):
    tags = set(tags) | EVERY_CHANGE
    # The program pages' documents within the change's own transaction, so
    # they are never stale once it commits; the page cache after commit, so
    # no instance re-caches a page from data not yet visible to it.
    mark_stale(tags, languages)
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


# Raised by every save (programs/admin/concurrency.py), shown on no page.
BOOKKEEPING = {"version"}


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


def agencies_changed_in_bulk(agency_ids):
    """After bulk writes, which fire no signals (the school import, the school-year rollover).

    Marks every page of these agencies stale at once: their program pages,
    their schools' pages (which carry the agency's tag) and the school search;
    cheaper than a tag per school for a file of thousands.
    """
    tags = set()
    for agency_id in agency_ids:
        tags |= _agency_tags(agency_id)
    if tags:
        _invalidate(tags)


def site_changed_in_bulk():
    """After agencies and programs are added or removed by the thousand (the scale data set).

    Every program page's document is marked stale in one statement (a tag per
    agency would make a condition too long for SQLite), and after commit every
    cached public page: they all carry the alert banner's tag. Bumping one tag
    per agency instead would write thousands of keys (the file cache lists its
    folder on each write: a minute for 3,100 agencies).
    """
    mark_all_stale()
    tags = {"programs", "search", "alerts", "school-cards"} | EVERY_CHANGE
    transaction.on_commit(lambda: bump(tags))


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
    _invalidate(tags, languages)


def _topics_changed(sender, instance, action, pk_set, reverse, **kwargs):
    """A program gains or loses a topic: its page, those topics' pages and the topic list."""
    if action == "pre_clear":
        # A clear names no objects: take what is linked now, before it goes.
        related = instance.programs if reverse else instance.topics
        pk_set = set(related.values_list("pk", flat=True))
    elif action not in ("post_add", "post_remove"):
        return
    program_ids, topic_ids = (pk_set, {instance.pk}) if reverse else ({instance.pk}, pk_set)
    tags = {"topics"} | {f"program:{pk}" for pk in program_ids} | {f"topic-programs:{pk}" for pk in topic_ids}
    _invalidate(tags)


def _connect(model):
    uid = f"page-cache-{model._meta.label_lower}"
    pre_save.connect(_tags_before_change, sender=model, dispatch_uid=uid + "-pre")
    post_save.connect(_changed, sender=model, dispatch_uid=uid + "-save")
    # Before the delete: the rows linking the object (a topic's programs) go
    # with it, and afterwards no join would find the documents that show it.
    pre_delete.connect(_changed, sender=model, dispatch_uid=uid + "-delete")


def not_on_public_pages(*labels):
    """For the apps beside this one: models of theirs no public page shows (staff-only records)."""
    NOT_ON_PUBLIC_PAGES.update(labels)


def register(model, tags):
    """A model of another app that public pages show (agreements, training, program data): its line
    in the registry, with the tags a change of one of its objects affects; called from that app's ready()."""
    REGISTRY[model] = tags
    _connect(model)


def connect():
    for model in REGISTRY:
        _connect(model)
    m2m_changed.connect(_topics_changed, sender=models.Program.topics.through, dispatch_uid="page-cache-topics")
