from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Div, Fieldset, Layout, Submit
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from inbox.forms import CONTACT_ERRORS, PRIVACY_NOTE, HoneypotMixin
from programs.models import Officer

from .models import Feedback

# Rendered as a template by crispy-forms: the translation is escaped first (format_html).
ANONYMOUS_HINT = _(
    "Leave these empty to stay anonymous. Without a way to reach you, the unit cannot ask you questions or tell you "
    "what it found."
)
UNKNOWN_OFFICER = ""
OTHER_OFFICER = "other"


class FeedbackForm(HoneypotMixin, forms.ModelForm):
    """A complaint or commendation about an officer; who sends it may stay anonymous."""

    submit_label = _("Send to professional standards")
    kind = forms.ChoiceField(
        label=_("Is it a complaint or a compliment?"),
        choices=[
            (Feedback.Kind.COMPLAINT, _("A complaint about an officer")),
            (Feedback.Kind.COMMENDATION, _("A compliment (commendation) for an officer")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether it is a complaint or a compliment.")},
    )
    officer_choice = forms.ChoiceField(
        label=_("Which officer?"),
        required=False,
        help_text=_("Choose from the officers listed on the program page, if you know."),
        error_messages={"invalid_choice": _("Choose an officer from the list, or “I do not know”.")},
    )

    class Meta:
        model = Feedback
        fields = [
            "what_happened",
            "happened_on",
            "happened_time",
            "place",
            "officer_description",
            "name",
            "email",
            "phone",
        ]
        labels = {
            "what_happened": _("What happened?"),
            "happened_on": _("Date"),
            "happened_time": _("Time"),
            "place": _("Where?"),
            "officer_description": _("Officer's name, badge number or description"),
            "name": _("Your name"),
            "email": _("Email address"),
            "phone": _("Phone number"),
        }
        help_texts = {
            "what_happened": _("In your own words: what the officer did or said, and who else was there."),
            "happened_on": _("If you are not sure of the day, give your best guess or leave it empty."),
            "happened_time": _("For example: about 3 p.m., or during lunch."),
            "place": _("For example: the school's name, its parking lot, or a street."),
            "officer_description": _("If the officer is not listed or you do not know their name."),
            "email": _("We send a confirmation with your reference number here."),
            "phone": _("Only if you would like a call back."),
        }
        widgets = {
            "what_happened": forms.Textarea(attrs={"rows": 8, "maxlength": 5000}),
            "happened_on": forms.DateInput(attrs={"type": "date"}),
        }
        error_messages = {
            **CONTACT_ERRORS,
            "what_happened": {"required": _("Describe what happened.")},
            "happened_on": {"invalid": _("Enter a date like 2026-11-03, or leave it empty.")},
        }

    def __init__(self, *args, program, officers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.program = program
        if officers is None:
            officers = Officer.objects.active().filter(agency_id=program.agency_id)
        self.officers = {str(o.pk): o for o in officers}
        self.fields["officer_choice"].choices = [
            (UNKNOWN_OFFICER, _("I do not know, or I would rather not say")),
            *((pk, o.display_name) for pk, o in self.officers.items()),
            (OTHER_OFFICER, _("An officer not listed here")),
        ]
        self.order_fields(["kind", "what_happened", "happened_on", "happened_time", "place", "officer_choice"])

    @property
    def helper(self):
        helper = FormHelper(self)
        helper.form_method = "post"
        helper.layout = Layout(
            "kind",
            "what_happened",
            Fieldset(_("When and where"), "happened_on", "happened_time", "place"),
            Fieldset(_("The officer"), "officer_choice", "officer_description"),
            Fieldset(
                _("Your contact details (optional)"),
                HTML(format_html('<p class="usa-hint">{}</p>', ANONYMOUS_HINT)),
                "name",
                "email",
                "phone",
            ),
            PRIVACY_NOTE,
            Div("website", css_class="site-honeypot", aria_hidden="true"),
        )
        helper.add_input(Submit("send", self.submit_label))
        return helper

    def clean_happened_on(self):
        day = self.cleaned_data.get("happened_on")
        if day and day > timezone.localdate():
            raise ValidationError(_("The date cannot be in the future."))
        return day

    def clean(self):
        cleaned = super().clean()
        choice = cleaned.get("officer_choice")
        officer = self.officers.get(choice) if choice not in (UNKNOWN_OFFICER, OTHER_OFFICER) else None
        self.instance.officer = officer
        self.instance.officer_name = officer.display_name if officer else ""
        return cleaned

    def clean_officer_choice(self):
        choice = self.cleaned_data.get("officer_choice") or UNKNOWN_OFFICER
        if choice not in (UNKNOWN_OFFICER, OTHER_OFFICER) and choice not in self.officers:
            raise ValidationError(_("Choose an officer from the list, or “I do not know”."))
        return choice

    def save(self, commit=True):
        self.instance.program = self.program
        self.instance.kind = self.cleaned_data["kind"]
        self.instance.language = get_language()
        return super().save(commit)
