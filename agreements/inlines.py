"""The agreements of a partnership, edited on the partnership's admin page (programs/admin/content.py)."""

from django.contrib import admin

from programs.admin.scoping import ScopedInlineMixin

from .models import Agreement

AGREEMENT_FIELDS = [
    ("signed_on", "effective_on"),
    ("review_on", "expires_on"),
    ("agency_signatory", "district_signatory"),
    "document",
    "is_example",
]


class AgreementInline(ScopedInlineMixin, admin.StackedInline):
    model = Agreement
    extra = 0
    fields = AGREEMENT_FIELDS
    show_change_link = True
    verbose_name_plural = "agreements (add a new one when an agreement is renewed: the old one stays public)"
