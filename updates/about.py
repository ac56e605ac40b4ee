"""What an update may be about besides a school and a topic: an agreement, a year of figures.

Those belong to apps the site may run without (agreements/, program_data/), so an update
links to them generically (a content type and an id) and offers them only when their app is
installed (`register_installed`). Each kind says how to list a program's records for the
editor's choice and how to name one.
"""

from dataclasses import dataclass

from django.apps import apps
from django.urls import reverse
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class AboutKind:
    model_label: str  # "agreements.agreement"
    program_lookup: str  # the path from the model to its program
    describe: object  # fn(obj) -> str, as the editor sees it in the choice
    public_label: object  # fn(obj) -> str, the link's text on the update's page, in the page's language
    public_url: object  # fn(obj) -> where the public reads about it

    @property
    def model(self):
        return apps.get_model(self.model_label)


KINDS = {}


def register(kind):
    KINDS[kind.model_label] = kind


def register_installed():
    if apps.is_installed("agreements"):
        register(
            AboutKind(
                "agreements.agreement",
                "partnership__program",
                lambda a: f"Agreement with {a.partnership.district}, in effect {a.effective_on:%B %-d, %Y}",
                lambda a: _("The agreement with %(district)s") % {"district": a.partnership.district},
                lambda a: reverse("agreements:program_agreements", args=[a.partnership.program.slug]),
            )
        )
    if apps.is_installed("program_data"):
        register(
            AboutKind(
                "program_data.figureset",
                "program",
                lambda f: f"Yearly figures {f.school_year_display}",
                lambda f: _("Yearly figures %(year)s") % {"year": f.school_year_display},
                lambda f: f.get_absolute_url(),
            )
        )


def value_of(obj):
    """How a form names a record: "agreements.agreement:12"."""
    return f"{obj._meta.label_lower}:{obj.pk}"


def record(model_label, pk):
    """The record a link names, or None (no link, an app the site no longer runs, a deleted record)."""
    kind = KINDS.get(model_label)
    if kind is None or pk is None:
        return None
    return kind.model._default_manager.filter(pk=pk).first()


def choices_for(program_ids, limit=100):
    """[(value, label)] of the records of these programs an update may be about, newest first."""
    found = []
    for kind in KINDS.values():
        records = kind.model.objects.filter(**{f"{kind.program_lookup}__in": program_ids}).order_by("-pk")[:limit]
        if kind.model_label == "agreements.agreement":
            records = records.select_related("partnership__program")
        found += [(value_of(obj), kind.describe(obj)) for obj in records]
    return found


def program_id_of(obj):
    """The program a record belongs to, by its kind's path (None if it is not a kind we link to)."""
    kind = KINDS.get(obj._meta.label_lower)
    if kind is None:
        return None
    target = obj
    for step in kind.program_lookup.split("__")[:-1]:
        target = getattr(target, step)
    return getattr(target, f"{kind.program_lookup.split('__')[-1]}_id")


def public_link(obj):
    """(where the public reads about the record, the link's text), or (None, None)."""
    kind = KINDS.get(obj._meta.label_lower) if obj is not None else None
    if kind is None:
        return None, None
    return kind.public_url(obj), kind.public_label(obj)


# Known from the start: the admin (autodiscovered before our AppConfig.ready) offers them too.
register_installed()
