"""The subscription forms: subscribe (a public form like the others: honeypot, privacy note,
rate limit), and the subscriber's choices on the page their emails link to."""

from django import forms
from django.utils.translation import gettext_lazy as _

from inbox.forms import CONTACT_ERRORS, HoneypotMixin

from .models.subscriptions import Frequency

STOP = "stop"


class SubscribeForm(HoneypotMixin, forms.Form):
    submit_label = _("Subscribe")

    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        help_text=_("We send a link to this address first; nothing else is sent until you click it."),
        error_messages=CONTACT_ERRORS["email"],
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    frequency = forms.ChoiceField(
        label=_("How often would you like email?"),
        choices=Frequency.choices,
        initial=Frequency.IMMEDIATELY,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how often you would like email.")},
    )

    def clean_email(self):
        # One subscriber per address, however it is typed.
        return self.cleaned_data["email"].strip().lower()


class ChoicesForm(forms.Form):
    """One question per subscription: each update, a weekly summary, or stop."""

    def __init__(self, *args, subscriptions, **kwargs):
        super().__init__(*args, **kwargs)
        self.subscriptions = {f"subscription_{s.pk}": s for s in subscriptions}
        for name, subscription in self.subscriptions.items():
            self.fields[name] = forms.ChoiceField(
                label=subscription.title,
                choices=[*Frequency.choices, (STOP, _("No more email about it"))],
                initial=subscription.frequency,
                widget=forms.RadioSelect,
            )

    def choices(self):
        """[(subscription, frequency or STOP)] as chosen."""
        return [(s, self.cleaned_data[name]) for name, s in self.subscriptions.items()]
