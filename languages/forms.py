"""Staff content in the public forms' drop-downs (a program's topics), marked as pages mark it."""

from django import forms

from .content import fallback_language


class ContentSelect(forms.Select):
    """A drop-down of model instances whose `field` is staff content: an option shown in another
    language than the page's (no Spanish name yet) carries lang="en", as {% lang_of %} marks
    content on pages. The form tells its view (`shows_other_language`), which tells the page's
    notice (languages.content.shown_in_other_language)."""

    def __init__(self, attrs=None, choices=(), field="name"):
        super().__init__(attrs, choices)
        self.field = field

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        instance = getattr(value, "instance", None)
        shown = fallback_language(instance, self.field) if instance is not None else None
        if shown:
            option["attrs"]["lang"] = shown
        return option


def shows_other_language(field):
    """Whether a ModelChoiceField with a ContentSelect shows an option in another language than the page's."""
    return any(fallback_language(instance, field.widget.field) for instance in field.queryset)
