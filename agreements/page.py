"""Agreements as the public pages show them: plain data for the program page's
document (programs/program_pages.py) and for the agreements page.

A status depends on today's date, so a program page's document also says until
when it holds (`valid_until`): the next date on which any of its agreements
changes status. The document is rebuilt on that day.
"""

from datetime import timedelta

from django.conf import settings
from django.db.models import Prefetch
from django.urls import reverse

from languages.content import with_languages
from languages.formats import long_date

from .models import Agreement


def _date(value):
    return {"iso": value.isoformat(), "display": long_date(value)} if value else None


def agreements_prefetch(today, lookup="partnerships__agreements"):
    """Every agreement of a program's partnerships with its status, newest first, in one query."""
    return Prefetch(lookup, queryset=Agreement.objects.with_status(today).order_by("-effective_on", "pk"))


def agreement_data(agreement):
    # Who signed: a name and a title, written once, in English (languages/content.py).
    return with_languages(
        {
            "status": agreement.status,
            "status_label": str(agreement.get_status_display()),
            "signed_on": _date(agreement.signed_on),
            "effective_on": _date(agreement.effective_on),
            "review_on": _date(agreement.review_on),
            "expires_on": _date(agreement.expires_on),
            "agency_signatory": agreement.agency_signatory,
            "district_signatory": agreement.district_signatory,
            "document_url": agreement.document.url if agreement.document else "",
            "document_label": agreement.document_label,
            "is_example": agreement.is_example,
        },
        agreement,
        "agency_signatory",
        "district_signatory",
    )


def agreement_in_effect(agreements):
    """Of a partnership's agreements (newest first, with status), the one that applies now.

    The newest already in effect (current, review due or expired); if none is
    in effect yet, the first one to come.
    """
    in_effect = [a for a in agreements if a.status != Agreement.Status.UPCOMING]
    if in_effect:
        return in_effect[0]
    return agreements[-1] if agreements else None


def partner_districts(program):
    """Each partner district with the agreement that applies now, and the next one if signed already.

    `program.partnerships` must carry `agreements_prefetch`.
    """
    rows = []
    for partnership in program.partnerships.all():
        agreements = list(partnership.agreements.all())
        shown = agreement_in_effect(agreements)
        coming = [a for a in agreements if a.status == Agreement.Status.UPCOMING and a is not shown]
        rows.append(
            {
                "district": partnership.district,
                "agreement": agreement_data(shown) if shown else None,
                "next_agreement": agreement_data(coming[-1]) if coming else None,
                "agreement_count": len(agreements),
            }
        )
    return rows


def valid_until(program, today):
    """The first day after `today` on which an agreement of `program` changes status, as ISO text, or None."""
    due = timedelta(days=settings.REVIEW_DUE_DAYS)
    days = set()
    for partnership in program.partnerships.all():
        for agreement in partnership.agreements.all():
            days.add(agreement.effective_on)  # in effect; an older one superseded
            for deadline in filter(None, (agreement.review_on, agreement.expires_on)):
                days.add(deadline - due)  # review due
            if agreement.expires_on:
                days.add(agreement.expires_on + timedelta(days=1))  # expired
    later = [day for day in days if day > today]
    return min(later).isoformat() if later else None


# The program page's parts (programs/hooks.py, registered in apps.py).


def program_page_prefetch(today):
    return agreements_prefetch(today)


def program_fields(program, today):
    return {
        "partnerships": partner_districts(program),
        "agreements_url": reverse("agreements:program_agreements", args=[program.slug]),
    }
