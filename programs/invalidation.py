"""Which cached pages each change of the domain's models affects: one line per model
(the mechanism is page_cache/invalidation.py; the other apps register their own models).

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

from django.db import transaction
from django.db.models.signals import m2m_changed

from page_cache import invalidation
from page_cache.pages import bump

from . import models
from .program_pages import mark_all_stale, mark_stale


def _agency_tags(agency_id):
    return {f"agency:{agency_id}", "search"}


def _program_tags(program_id):
    return {f"program:{program_id}"}


# Every model of the domain public pages show, and the tags a change of one of its objects affects.
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
    invalidation.invalidate(tags)


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
        invalidation.invalidate(tags)


def site_changed_in_bulk():
    """After agencies and programs are added or removed by the thousand (the scale data set).

    Every program page's document is marked stale in one statement (a tag per
    agency would make a condition too long for SQLite), and after commit every
    cached public page: they all carry the alert banner's tag. Bumping one tag
    per agency instead would write thousands of keys (the file cache lists its
    folder on each write: a minute for 3,100 agencies).
    """
    mark_all_stale()
    tags = {"programs", "search", "alerts", "school-cards"} | invalidation.EVERY_CHANGE
    transaction.on_commit(lambda: bump(tags))


def connect():
    # Staff memberships: no public page shows them.
    invalidation.not_on_public_pages("programs.agencymembership")
    # Built from the models above, never edited: kept current by the same changes (programs/program_pages.py;
    # the search's vocabulary, programs/search.py, changes only when a school does).
    invalidation.derived("programs.programpage", "programs.searchword")
    # The program pages' documents within the change's own transaction, so they are never stale once it commits.
    invalidation.within_the_change(mark_stale)
    for model, tags in REGISTRY.items():
        invalidation.register(model, tags)
    m2m_changed.connect(_topics_changed, sender=models.Program.topics.through, dispatch_uid="page-cache-topics")
