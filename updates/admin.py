"""Updates in the staff admin, scoped to the editor's agencies like all content
(programs/admin/scoping.py), with history and revert, English and Spanish side by side.
Staff see how many people get a program's updates by email, never who: the subscribers
have no admin at all."""

from django import forms
from django.contrib import admin
from django.utils.html import format_html
from modeltranslation.admin import TranslationAdmin

from programs.admin.content import ContentAdmin
from programs.admin.scoping import RELATED_ONLY, within_agencies
from programs.models import Program

from . import about
from .models import Subscription, Update
from .offers import offer_updates_on


class UpdateForm(forms.ModelForm):
    about_choices = [("", "---------")]  # set per request (UpdateAdmin.get_form): the editor's records

    about_record = forms.ChoiceField(
        label="Agreement or yearly figures",
        required=False,
        help_text="Optional: the agreement or the year of figures this update is about; the update links to it.",
    )

    class Meta:
        model = Update
        fields = ["program", "title", "slug", "date", "text", "status", "is_example"]
        fields += ["event_start", "event_end", "event_place", "event_is_public", "school", "topic"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["about_record"].choices = self.about_choices
        if self.instance.about_model and "about_record" not in self.initial:
            self.initial["about_record"] = f"{self.instance.about_model}:{self.instance.about_id}"

    def clean(self):
        cleaned = super().clean()
        value = cleaned.get("about_record")
        self.instance.about_model, self.instance.about_id = "", None
        if value:  # one of the choices, which are the editor's own records
            label, pk = value.rsplit(":", 1)
            record = about.record(label, int(pk))
            program = cleaned.get("program")
            if record is None or (program is not None and about.program_id_of(record) != program.pk):
                self.add_error("about_record", "Choose an agreement or figures of this update's program.")
            self.instance.about_model, self.instance.about_id = label, int(pk)
        return cleaned


def subscriber_count(program):
    """How many addresses get this program's updates (its own subscribers and its state's)."""
    return Subscription.objects.confirmed().covering(program).values("subscriber_id").distinct().count()


@admin.register(Update)
class UpdateAdmin(TranslationAdmin, ContentAdmin):
    form = UpdateForm
    agency_lookup = "program__agency"
    list_display = ["title", "program", "date", "status", "is_event", "is_example", "public_link"]
    list_filter = ["status", ("program__agency", RELATED_ONLY), "is_example"]
    search_fields = ["title", "text", "program__name", "program__agency__name"]
    autocomplete_fields = ["program", "school", "topic"]
    list_select_related = ["program__agency"]
    date_hierarchy = "date"
    readonly_fields = ["subscribers"]
    fieldsets = [
        (None, {"fields": ["program", "title", "slug", "date", "text", "status", "subscribers", "is_example"]}),
        (
            "Event",
            {
                "description": "Only if the update announces an event: when and where it is.",
                "fields": [("event_start", "event_end"), "event_place", "event_is_public"],
            },
        ),
        ("What it is about", {"fields": ["school", "topic", "about_record"]}),
    ]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        programs = within_agencies(Program.objects.all(), "agency", self.agency_ids(request))
        choices = [("", "---------"), *about.choices_for(programs.values("pk"))]
        return type(form.__name__, (form,), {"about_choices": choices})

    @admin.display(description="Email subscribers")
    def subscribers(self, obj):
        if obj is None or obj.program_id is None:
            return "Shown once the update is saved."
        n = subscriber_count(obj.program)
        return f"{n} address{'es' if n != 1 else ''} get this program's updates by email."

    @admin.display(description="Event", boolean=True)
    def is_event(self, obj):
        return obj.is_event

    @admin.display(description="Public page")
    def public_link(self, obj):
        label = "View" if obj.is_published else "Preview draft"
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), label)


# After a year of figures or an agreement is added: "Post an update about it", prefilled (offers.py).
for kind in about.KINDS.values():
    offer_updates_on(kind.model)
