"""Which cached pages each model change affects: one line per model.

Tags used by the views (programs/views.py, programs/seo.py):
  programs       home page cards, topic pages' program lists, sitemap
  topics         the topic list
  search         school search results and the sitemap's school list
  agency:<id>    a program page, its vCard and its schools' pages
  state:<id>     the tip line shown on program pages
  topic:<id>     a topic page
  school:<id>    a school page
  alerts         every public page (the alert banner)
"""

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from . import models
from .page_cache import bump


def _agency_tags(agency_id):
    return {f"agency:{agency_id}", "search"}


REGISTRY = {
    models.State: lambda o: {f"state:{o.pk}"},
    models.Agency: lambda o: {f"agency:{o.pk}", "programs", "search"},
    models.Program: lambda o: _agency_tags(o.agency_id) | {"programs", "topics"},
    models.MissionRole: lambda o: {f"agency:{o.program.agency_id}"},
    models.Goal: lambda o: {f"agency:{o.program.agency_id}"},
    models.Outcome: lambda o: {f"agency:{o.program.agency_id}"},
    models.Partnership: lambda o: {f"agency:{o.program.agency_id}"},
    models.Photo: lambda o: {f"agency:{o.program.agency_id}"},
    models.EducationTopic: lambda o: {f"topic:{o.pk}", "topics", "programs"},
    models.Officer: lambda o: _agency_tags(o.agency_id),
    models.School: lambda o: _agency_tags(o.agency_id) | {f"school:{o.pk}"},
    models.Assignment: lambda o: _agency_tags(o.school.agency_id) | {f"school:{o.school_id}"},
    models.Alert: lambda o: {"alerts"},
}


def _bump_after_commit(tags):
    # After commit, so no instance re-caches the page from data not yet visible to it.
    transaction.on_commit(lambda: bump(tags))


def _tags_before_change(sender, instance, **kwargs):
    """A change can move an object (a school to another agency): its old pages go stale too."""
    if instance.pk is None:
        return
    old = sender.objects.filter(pk=instance.pk).first()
    instance._page_cache_old_tags = REGISTRY[sender](old) if old else set()


def _changed(sender, instance, **kwargs):
    tags = REGISTRY[sender](instance) | getattr(instance, "_page_cache_old_tags", set())
    _bump_after_commit(tags)


def _topics_changed(sender, instance, action, pk_set, **kwargs):
    if not action.startswith("post_"):
        return
    if isinstance(instance, models.Program):
        tags = REGISTRY[models.Program](instance) | {f"topic:{pk}" for pk in pk_set or ()}
    else:  # the reverse side: topic.programs.add(...)
        tags = {f"topic:{instance.pk}", "topics", "programs"}
        tags |= {
            f"agency:{agency_id}"
            for agency_id in models.Program.objects.filter(pk__in=pk_set or ()).values_list("agency_id", flat=True)
        }
    _bump_after_commit(tags)


def connect():
    for model in REGISTRY:
        uid = f"page-cache-{model._meta.label_lower}"
        pre_save.connect(_tags_before_change, sender=model, dispatch_uid=uid + "-pre")
        post_save.connect(_changed, sender=model, dispatch_uid=uid + "-save")
        post_delete.connect(_changed, sender=model, dispatch_uid=uid + "-delete")
    m2m_changed.connect(_topics_changed, sender=models.Program.topics.through, dispatch_uid="page-cache-topics")
