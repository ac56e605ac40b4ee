"""No lost edits: the change form carries the version it was opened at, and a
save is refused when someone else has saved in between."""

from django import forms
from django.contrib.admin.utils import flatten_fieldsets
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html

VERSION_FIELD = "opened_at_version"


def saved_version(instance):
    """The version in the database now; a revert form's instance carries an old one."""
    return type(instance)._default_manager.filter(pk=instance.pk).values_list("version", flat=True).first()


class VersionCheckedAdminMixin:
    def get_form(self, request, obj=None, change=False, **kwargs):
        if "fields" not in kwargs:
            kwargs["fields"] = flatten_fieldsets(super().get_fieldsets(request, obj))
        if kwargs["fields"]:
            # The model form is built from the model's fields; the version field is added below.
            kwargs["fields"] = [f for f in kwargs["fields"] if f != VERSION_FIELD]
        form = super().get_form(request, obj, change=change, **kwargs)
        admin = self

        class VersionCheckedForm(form):
            opened_at_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

            def __init__(self, *args, **form_kwargs):
                super().__init__(*args, **form_kwargs)
                if self.instance.pk:
                    self.fields[VERSION_FIELD].initial = saved_version(self.instance)

            def clean(self):
                cleaned = super().clean()
                opened_at = cleaned.get(VERSION_FIELD)
                if self.instance.pk and opened_at is not None and opened_at != saved_version(self.instance):
                    url = reverse(
                        f"admin:{admin.opts.app_label}_{admin.opts.model_name}_change", args=[self.instance.pk]
                    )
                    raise ValidationError(
                        format_html(
                            "Someone else saved this page while you were editing it, so your changes were not "
                            'saved. <a href="{}">Open the current version</a>, then make your changes again.',
                            url,
                        ),
                        code="stale",
                    )
                return cleaned

        return VersionCheckedForm

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        first_name, first_options = fieldsets[0]
        if VERSION_FIELD in first_options.get("fields", []):
            return fieldsets
        return [(first_name, {**first_options, "fields": [*first_options["fields"], VERSION_FIELD]}), *fieldsets[1:]]

    def save_model(self, request, obj, form, change):
        if change:
            obj.version = (saved_version(obj) or 0) + 1
        super().save_model(request, obj, form, change)
