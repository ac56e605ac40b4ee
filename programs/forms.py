import html
import re

from django import forms
from django.forms.utils import flatatt
from django.utils.choices import BaseChoiceIterator
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _


def _escaped(value):
    # What django.utils.html.escape does, without its wrapper for lazy text (a tenth of a drop-down's time).
    return html.escape(str(value))


class QuickSelect(forms.Select):
    """A drop-down of plain choices (no groups) drawn in Python, the same markup as Django's template.

    Django renders each option through its own template, and builds a context
    for each: for the 52 states of the search page that was 6 ms of every
    search, more than the search itself. Plain escaping, not format_html per
    option: that was still a third of the search form (0.4 ms).
    """

    def render(self, name, value, attrs=None, renderer=None):
        chosen = set(self.format_value(value))
        options = "\n".join(
            f'<option value="{_escaped(option)}"{SELECTED if str(option) in chosen else ""}>{_escaped(label)}</option>'
            for option, label in self.choices
        )
        attributes = flatatt(self.build_attrs(self.attrs, attrs))
        return mark_safe(f'<select name="{_escaped(name)}"{attributes}>\n{options}\n</select>')  # noqa: S308 (escaped above)


SELECTED = " selected"


class QuickTextInput(forms.TextInput):
    """A text box drawn in Python, the same markup as Django's template (a template costs 0.1 ms a box)."""

    def render(self, name, value, attrs=None, renderer=None):
        value = self.format_value(value)
        shown = "" if value is None else f' value="{_escaped(value)}"'
        attributes = flatatt(self.build_attrs(self.attrs, attrs))
        return mark_safe(f'<input type="{_escaped(self.input_type)}" name="{_escaped(name)}"{shown}{attributes}>')  # noqa: S308


class StateChoices(BaseChoiceIterator):
    """The search's state drop-down: "Any state", then each state by its postal code.

    Django takes such an iterable as it is, where a list of 52 pairs is
    checked and copied item by item three times per form: a quarter of the
    form's render.
    """

    def __init__(self, states):
        self.states = states

    def __iter__(self):
        yield "", _("Any state")
        for state in self.states:
            yield state.code.lower(), state.name


class SchoolSearchForm(forms.Form):
    q = forms.CharField(
        label=_("School name or city"),
        max_length=100,
        min_length=2,
        widget=QuickTextInput,
        help_text=_("For example: Hillsboro, or part of the school's name."),
        error_messages={
            "required": _("Enter a school name or a city to search."),
            "min_length": _("Enter at least 2 letters of a school name or city."),
            "max_length": _("Enter at most 100 characters."),
        },
    )

    state = forms.ChoiceField(
        label=_("State"),
        required=False,
        widget=QuickSelect,
        error_messages={"invalid_choice": _("Choose a state from the list, or leave it empty to search every state.")},
    )
    county = forms.CharField(
        label=_("County"),
        max_length=100,
        required=False,
        widget=QuickTextInput,
        help_text=_("For example: Jefferson."),
        error_messages={"max_length": _("Enter at most 100 characters.")},
    )

    def __init__(self, *args, states=None, **kwargs):
        """`states`: the states to choose from, for the search page's filters; None leaves the filters out."""
        super().__init__(*args, **kwargs)
        if states is None:
            del self.fields["state"], self.fields["county"]
        else:
            self.fields["state"].choices = StateChoices(states)

    def clean_q(self):
        return " ".join(self.cleaned_data["q"].split())

    def clean_county(self):
        # "Jefferson County" and "jefferson" alike name the county the agencies list as "Jefferson".
        return re.sub(r"\s+county$", "", " ".join(self.cleaned_data["county"].split()), flags=re.IGNORECASE)
