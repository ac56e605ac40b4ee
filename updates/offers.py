"""After an editor adds a year of figures or an agreement, the admin offers to post an update
about it: a link to a new update, prefilled (program, title and text in both languages, the
link to the record), which the editor reads, changes and publishes, or ignores. Nothing is
posted by itself.

The admins of those apps are theirs; ours wraps them (`offer_updates_on`), the way a project
extends a third-party app's admin, so they need not know about updates.
"""

from urllib.parse import urlencode

from django.contrib import admin, messages
from django.urls import reverse
from django.utils import translation
from django.utils.html import format_html
from django.utils.translation import gettext as _

from languages.formats import long_date

from . import about

# Per kind of record: fn(record) -> (title, text) of the update offered, in the active language.
PREFILLS = {
    "program_data.figureset": lambda f: (
        _("New yearly figures: %(year)s") % {"year": f.school_year_display},
        _(
            "The program's figures for the %(year)s school year are published: referrals, arrests, "
            "presentations and the rest, with what each one counts."
        )
        % {"year": f.school_year_display},
    ),
    "agreements.agreement": lambda a: (
        _("New agreement with %(district)s") % {"district": a.partnership.district},
        _(
            "A new agreement with %(district)s takes effect on %(date)s. The signed copy is on the "
            "program's agreements page."
        )
        % {"district": a.partnership.district, "date": long_date(a.effective_on)},
    ),
}


def prefilled_update_url(record):
    kind = record._meta.label_lower
    params = {
        "program": about.program_id_of(record),
        "about_record": about.value_of(record),
    }
    for code in ("en", "es"):
        with translation.override(code):
            title, text = PREFILLS[kind](record)
        params[f"title_{code}"], params[f"text_{code}"] = title, text
    return reverse("admin:updates_update_add") + "?" + urlencode(params)


class OfferUpdateMixin:
    def response_add(self, request, obj, post_url_continue=None):
        response = super().response_add(request, obj, post_url_continue)
        if request.user.has_perm("updates.add_update"):
            messages.info(
                request,
                format_html(
                    'Tell the public? <a href="{}">Post an update about it</a>: it opens prefilled, '
                    "for you to change before you publish it.",
                    prefilled_update_url(obj),
                ),
            )
        return response


def offer_updates_on(model):
    """Re-register `model`'s admin with the offer (when both the model and its admin exist)."""
    model_admin = admin.site._registry.get(model)
    if model_admin is None or isinstance(model_admin, OfferUpdateMixin):
        return
    offering = type(type(model_admin).__name__, (OfferUpdateMixin, type(model_admin)), {})
    admin.site.unregister(model)
    admin.site.register(model, offering)
