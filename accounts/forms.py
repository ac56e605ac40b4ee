"""Sign-in, set-up and invitation forms, rendered by the site's USWDS crispy pack."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from programs.models import Agency

from .second_factor import normalise_code


class USWDSFormMixin:
    submit_label = gettext_lazy("Continue")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.is_bound:
            # A re-shown form focuses its error summary; one autofocus per page.
            for field in self.fields.values():
                field.widget.attrs.pop("autofocus", None)

    @property
    def helper(self):
        helper = FormHelper(self)
        helper.form_method = "post"
        helper.add_input(Submit("submit", self.submit_label))
        return helper


class SignInForm(USWDSFormMixin, AdminAuthenticationForm):
    """Step one: username and password (staff accounts only)."""

    submit_label = gettext_lazy("Sign in")

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].widget.attrs.update(autocomplete="username", autocapitalize="none", spellcheck="false")
        self.fields["password"].widget.attrs.update(autocomplete="current-password")
        self.error_messages["invalid_login"] = _(
            "The username or password is not right. Check them and try again; "
            "after 5 failed tries the account is locked for a while."
        )
        self.fields["username"].error_messages["required"] = _("Enter your username.")
        self.fields["password"].error_messages["required"] = _("Enter your password.")


def one_time_code_field(label, help_text, max_length, required_message, **widget_attrs):
    """A code typed to finish signing in, which browsers and password managers may offer to fill in."""
    return forms.CharField(
        label=label,
        help_text=help_text,
        max_length=max_length,
        error_messages={"required": required_message},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", **widget_attrs}),
    )


class OneTimeCodeForm(USWDSFormMixin, forms.Form):
    """Step two: a code, typed with or without spaces and dashes."""

    submit_label = gettext_lazy("Verify")

    def clean_code(self):
        return normalise_code(self.cleaned_data["code"])


class CodeForm(OneTimeCodeForm):
    """Step two, or set-up: the 6-digit code the authenticator app shows now."""

    code = one_time_code_field(
        gettext_lazy("6-digit code"),
        gettext_lazy("The code your authenticator app shows now, for example 123456."),
        12,
        gettext_lazy("Enter the 6-digit code from your authenticator app."),
        inputmode="numeric",
        spellcheck="false",
        size=8,
    )

    def clean_code(self):
        code = super().clean_code()
        if not (code.isdigit() and len(code) == 6):
            raise forms.ValidationError(_("Enter the 6 digits your authenticator app shows, without letters."))
        return code


class BackupCodeForm(OneTimeCodeForm):
    code = one_time_code_field(
        gettext_lazy("Backup code"),
        gettext_lazy("One of the 10 backup codes you saved when you set up your account, for example ab12cd34."),
        32,
        gettext_lazy("Enter one of your backup codes."),
        spellcheck="false",
        autocapitalize="none",
    )


class PasswordResetForm(USWDSFormMixin, auth_forms.PasswordResetForm):
    submit_label = gettext_lazy("Email me a link")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = _("Your work email address")
        self.fields["email"].help_text = _("The address your account was set up with.")
        self.fields["email"].error_messages.update(
            required=_("Enter your work email address."), invalid=_("Enter an email address like name@example.org.")
        )


class SetPasswordForm(USWDSFormMixin, auth_forms.SetPasswordForm):
    submit_label = gettext_lazy("Save my password")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].help_text = _(
            "At least 12 characters. A few unrelated words make a strong password that is easy to type."
        )
        self.fields["new_password1"].error_messages["required"] = _("Choose a password.")
        self.fields["new_password2"].error_messages["required"] = _("Type the same password again.")


class InviteEditorForm(forms.Form):
    """The admin's 'Invite an editor': an email address and the agency they will edit."""

    email = forms.EmailField(label=gettext_lazy("Their work email address"))
    agency = forms.ModelChoiceField(
        queryset=Agency.objects.order_by("name"), label=gettext_lazy("Agency they will edit")
    )
    username = forms.CharField(
        label=gettext_lazy("Username"),
        max_length=150,
        required=False,
        help_text=gettext_lazy("What they type to sign in. Leave empty to use their email address."),
    )

    def clean(self):
        cleaned = super().clean()
        email = cleaned.get("email")
        if email and not cleaned.get("username"):
            cleaned["username"] = email.lower()
        username = cleaned.get("username")
        user_model = get_user_model()
        if username:
            existing = user_model.objects.filter(username=username).first()
            if existing and existing.email and email and existing.email.lower() != email.lower():
                self.add_error(
                    "username",
                    _("'%(username)s' already belongs to someone with another email address.") % {"username": username},
                )
        return cleaned
