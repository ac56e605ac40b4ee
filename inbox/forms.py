"""The public forms of the inbox: a program page's presentation request, question and
accessibility barrier; and what every public form shares (officer_feedback's too): the
contact fields' errors, the honeypot, the privacy note above the button."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Div, Layout, Submit
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from languages.forms import ContentSelect, shows_other_language

from .models import Submission

OTHER_SCHOOL = "other"
# The person's contact details, asked the same way on every public form.
CONTACT_ERRORS = {
    "name": {"required": _("Enter your name.")},
    "email": {
        "required": _("Enter your email address."),
        "invalid": _("Enter an email address like name@example.org."),
    },
    "phone": {"invalid": _("Enter a phone number like 636-555-0100.")},
}


# One sentence above every public form's submit button: what happens to what the person sends.
PRIVACY_NOTE = HTML('{% include "includes/privacy_note.html" %}')


class HoneypotMixin(forms.Form):
    # Hidden from people (CSS and aria-hidden); bots that fill every field give themselves away.
    website = forms.CharField(
        required=False,
        max_length=200,
        label=_("Leave this field empty"),
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )
    submit_label = _("Send")
    hidden_from_people = ("website",)

    def is_spam(self):
        return bool(self.data.get("website"))

    @property
    def helper(self):
        helper = FormHelper(self)
        helper.form_method = "post"
        visible = [name for name in self.fields if name != "website"]
        helper.layout = Layout(*visible, PRIVACY_NOTE, Div("website", css_class="site-honeypot", aria_hidden="true"))
        helper.add_input(Submit("send", self.submit_label))
        return helper


class QuestionForm(HoneypotMixin, forms.ModelForm):
    submit_label = _("Send question")
    wants_reply = forms.TypedChoiceField(
        label=_("Would you like a reply?"),
        choices=[("yes", _("Yes, please reply")), ("no", _("No reply needed"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        initial="yes",
        error_messages={"required": _("Say whether you would like a reply.")},
    )

    class Meta:
        model = Submission
        fields = ["name", "email", "phone", "message", "wants_reply"]
        labels = {
            "name": _("Your name"),
            "email": _("Email address"),
            "phone": _("Phone number"),
            "message": _("Your question or comment"),
        }
        help_texts = {
            "email": _("We will only use it to answer you."),
            "phone": _("Only if you would like a call back."),
        }
        widgets = {"message": forms.Textarea(attrs={"rows": 6, "maxlength": 5000})}
        error_messages = {
            **CONTACT_ERRORS,
            "message": {"required": _("Enter your question or comment.")},
        }

    def __init__(self, *args, program, **kwargs):
        super().__init__(*args, **kwargs)
        self.program = program
        self.fields["message"].required = True
        self.order_fields(["name", "email", "phone", "message", "wants_reply", "website"])

    kind = Submission.Kind.QUESTION

    def save(self, commit=True):
        self.instance.program = self.program
        self.instance.kind = self.kind
        self.instance.language = get_language()  # the confirmation is written in it
        return super().save(commit)


class AccessibilityBarrierForm(QuestionForm):
    """A report of a page someone could not use, from the accessibility statement; the question's
    machinery (saved first, emailed to the program's staff, retried), filed as its own kind."""

    submit_label = _("Send report")

    class Meta(QuestionForm.Meta):
        fields = ["name", "email", "phone", "message"]
        labels = {
            **QuestionForm.Meta.labels,
            "message": _("What could you not use, and on which page?"),
        }
        help_texts = {
            "email": _("We will only use it to answer you and send you the content."),
            "phone": _("Only if you would like a call back, or the content read to you by phone."),
            "message": _(
                "For example: the address of the page, what you tried to do, what happened, "
                "and how you would like the content instead (by phone, by email, in large print...)."
            ),
        }
        error_messages = {
            **CONTACT_ERRORS,
            "message": {"required": _("Tell us what you could not use.")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["wants_reply"]
        self.order_fields(["name", "email", "phone", "message", "website"])

    kind = Submission.Kind.ACCESSIBILITY

    def save(self, commit=True):
        self.instance.wants_reply = True
        return super().save(commit)


class PresentationRequestForm(HoneypotMixin, forms.ModelForm):
    submit_label = _("Send request")
    school_choice = forms.ChoiceField(
        label=_("School"), error_messages={"required": _("Choose the school, or “Another school” and type its name.")}
    )

    class Meta:
        model = Submission
        fields = [
            "name",
            "email",
            "phone",
            "other_school",
            "topic",
            "preferred_date_1",
            "preferred_date_2",
            "preferred_date_3",
            "grade_level",
            "audience_size",
            "message",
        ]
        labels = {
            "name": _("Your name"),
            "email": _("Email address"),
            "phone": _("Phone number"),
            "other_school": _("Name of the other school"),
            "topic": _("Topic"),
            "grade_level": _("Grade level"),
            "audience_size": _("Approximate number of students"),
            "message": _("Anything else we should know"),
        }
        help_texts = {
            "other_school": _("Only if you chose “Another school” above."),
            "preferred_date_1": _("A school day from tomorrow on."),
            "grade_level": _("For example: 8th grade, or grades 9 to 12."),
        }
        widgets = {
            "preferred_date_1": forms.DateInput(attrs={"type": "date"}),
            "preferred_date_2": forms.DateInput(attrs={"type": "date"}),
            "preferred_date_3": forms.DateInput(attrs={"type": "date"}),
            "message": forms.Textarea(attrs={"rows": 4, "maxlength": 5000}),
            "audience_size": forms.NumberInput(attrs={"min": 1, "max": 2000}),
            # Topics' names are staff content: one with no Spanish name yet is marked lang="en".
            "topic": ContentSelect,
        }
        error_messages = {
            **CONTACT_ERRORS,
            "topic": {"required": _("Choose a topic."), "invalid_choice": _("Choose one of the topics listed.")},
            "preferred_date_1": {
                "required": _("Enter the date you would like."),
                "invalid": _("Enter a date like 2027-03-15."),
            },
            "preferred_date_2": {"invalid": _("Enter a date like 2027-03-15.")},
            "preferred_date_3": {"invalid": _("Enter a date like 2027-03-15.")},
            "audience_size": {"invalid": _("Enter a whole number of students, like 30.")},
        }

    def __init__(self, *args, program, **kwargs):
        super().__init__(*args, **kwargs)
        self.program = program
        schools = program.agency.schools.order_by("name")
        self.fields["school_choice"].choices = [("", _("Choose a school"))] + [(str(s.pk), s.name) for s in schools]
        self.fields["school_choice"].choices += [(OTHER_SCHOOL, _("Another school"))]
        self.fields["topic"].queryset = program.topics.all()
        self.fields["topic"].empty_label = _("Choose a topic")
        self.fields["topic"].required = True
        self.fields["preferred_date_1"].required = True
        self.fields["preferred_date_1"].label = _("Preferred date")
        self.fields["preferred_date_2"].label = _("Second choice of date")
        self.fields["preferred_date_3"].label = _("Third choice of date")
        self.fields["audience_size"].validators.append(MaxValueValidator(2000))
        self.fields["audience_size"].min_value = 1
        self.fields["audience_size"].validators.append(MinValueValidator(1))
        self.order_fields(
            ["name", "email", "phone", "school_choice", "other_school", "topic", "preferred_date_1", "preferred_date_2"]
            + ["preferred_date_3", "grade_level", "audience_size", "message", "website"]
        )

    @property
    def shows_other_language(self):
        """Whether a topic's name is shown in another language than the page's (languages/forms.py)."""
        return shows_other_language(self.fields["topic"])

    def _clean_future_date(self, field):
        day = self.cleaned_data.get(field)
        if day and day <= timezone.localdate():
            raise ValidationError(_("Choose a date after today."))
        return day

    def clean_preferred_date_1(self):
        return self._clean_future_date("preferred_date_1")

    def clean_preferred_date_2(self):
        return self._clean_future_date("preferred_date_2")

    def clean_preferred_date_3(self):
        return self._clean_future_date("preferred_date_3")

    def clean(self):
        cleaned = super().clean()
        choice = cleaned.get("school_choice")
        if choice == OTHER_SCHOOL:
            if not cleaned.get("other_school", "").strip():
                self.add_error("other_school", _("Type the name of the school."))
            self.instance.school = None
        elif choice:
            self.instance.school = self.program.agency.schools.filter(pk=choice).first()
            self.instance.other_school = ""
            cleaned["other_school"] = ""
        return cleaned

    def save(self, commit=True):
        self.instance.program = self.program
        self.instance.kind = Submission.Kind.PRESENTATION
        self.instance.language = get_language()
        return super().save(commit)
