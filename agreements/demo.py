"""Example agreements for the demo counties (load_demo): made-up districts and PDFs, each
labelled as an example on the public pages. Dates are set from the day the demo is
loaded, so the demo shows every status: current, review due, expired and superseded."""

from datetime import timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from programs.models import Partnership

from .demo_pdf import example_pdf
from .models import Agreement

# Per program slug: (district, [(days from today the agreement took effect, days until its
# review date, days until it expires)]), oldest first.
EXAMPLES = {
    "st-charles-county": [
        (
            "Example School District (St. Charles County)",
            # An agreement superseded by its renewal, whose review is now due.
            [(-1400, -700, -305), (-320, 45, 775)],
        ),
    ],
    "jefferson-county": [
        ("Example R-1 School District (Jefferson County)", [(-200, 165, 895)]),
        ("Example C-2 School District (Jefferson County)", [(-1125, -760, -30)]),
    ],
}


def _pdf(program, district, effective_on, expires_on):
    return example_pdf(
        [
            "EXAMPLE ONLY - NOT A REAL AGREEMENT",
            "",
            "Memorandum of understanding",
            f"between the {program.agency.name}",
            f"and {district}",
            "",
            f"In effect from {effective_on:%B} {effective_on.day}, {effective_on.year}"
            f" until {expires_on:%B} {expires_on.day}, {expires_on.year}.",
            "",
            "This document shows how a signed agreement is published on the site.",
            "The district is made up; no agreement has been signed.",
        ]
    )


def load(program, today=None):
    """Replace the example agreements of `program`'s example districts with fresh ones."""
    today = today or timezone.localdate()
    for district, agreements in EXAMPLES.get(program.slug, []):
        partnership, _ = Partnership.objects.get_or_create(program=program, district=district)
        for old in partnership.agreements.filter(is_example=True):
            old.document.delete(save=False)
            old.delete()
        for starts, review, ends in agreements:
            effective_on, expires_on = today + timedelta(days=starts), today + timedelta(days=ends)
            agreement = Agreement(
                partnership=partnership,
                signed_on=effective_on - timedelta(days=21),
                effective_on=effective_on,
                review_on=today + timedelta(days=review),
                expires_on=expires_on,
                agency_signatory="Alex Example, agency head",
                district_signatory="Sam Example, superintendent",
                is_example=True,
            )
            name = f"example-{effective_on:%Y-%m-%d}.pdf"
            agreement.document.save(name, ContentFile(_pdf(program, district, effective_on, expires_on)), save=False)
            agreement.save()
