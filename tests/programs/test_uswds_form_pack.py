"""The crispy-forms USWDS template pack: every field, hint and error looks and
reads the same, for sighted and screen-reader users alike."""

import re

import pytest
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from crispy_forms.utils import render_crispy_form
from django import forms
from django.template import Context, Template


class SampleForm(forms.Form):
    name = forms.CharField(label="Your name", max_length=20, help_text="As it should appear in our reply.")
    email = forms.EmailField(label="Email")
    phone = forms.CharField(label="Phone", required=False)
    message = forms.CharField(label="Message", widget=forms.Textarea)
    topic = forms.ChoiceField(label="Topic", choices=[("", "Choose"), ("drivers", "Driver safety")])
    audience = forms.ChoiceField(
        label="Audience", widget=forms.RadioSelect, choices=[("k5", "Grades K-5"), ("6-8", "Grades 6-8")]
    )
    days = forms.MultipleChoiceField(
        label="Days",
        widget=forms.CheckboxSelectMultiple,
        choices=[("mon", "Monday"), ("tue", "Tuesday")],
        required=False,
    )
    reply = forms.BooleanField(label="I would like a reply", required=False)


def render(form):
    return Template("{% load crispy_forms_tags %}{{ form|crispy }}").render(Context({"form": form}))


def invalid_form():
    form = SampleForm(data={"name": "x" * 30, "email": "not-an-email", "audience": "k5"})
    assert not form.is_valid()
    return form


def test_each_input_has_a_label_bound_by_id():
    html = render(SampleForm())
    for name in ["name", "email", "phone", "message", "topic", "reply"]:
        assert f'for="id_{name}"' in html
        assert f'id="id_{name}"' in html


def test_controls_get_uswds_classes():
    html = render(SampleForm())
    assert re.search(r'<input[^>]*class="usa-input"[^>]*id="id_name"', html)
    assert re.search(r'<textarea[^>]*class="usa-textarea"', html)
    assert re.search(r'<select[^>]*class="usa-select"', html)
    assert 'class="usa-checkbox__input"' in html


def test_hint_is_linked_with_aria_describedby():
    html = render(SampleForm())
    assert '<div class="usa-hint" id="id_name-hint">As it should appear in our reply.</div>' in html
    assert re.search(r'<input[^>]*aria-describedby="id_name-hint"[^>]*id="id_name"', html)


def test_optional_fields_say_so_and_required_ones_are_explained():
    html = render(SampleForm())
    assert re.search(r'for="id_phone">Phone <span class="text-base-dark">\(optional\)</span>', html)
    assert "Email <span" not in html
    assert "all others are required" in html


class RequiredOnlyForm(forms.Form):
    username = forms.CharField(label="Username")
    password = forms.CharField(label="Password", widget=forms.PasswordInput)


class RequiredOnlyWithSpamTrapForm(RequiredOnlyForm):
    website = forms.CharField(label="Leave this field empty", required=False)
    hidden_from_people = ("website",)


def test_a_form_whose_fields_are_all_required_has_no_note_about_optional_fields():
    assert "may be left empty" not in render(RequiredOnlyForm())
    form = RequiredOnlyForm()
    form.helper = FormHelper()
    assert "may be left empty" not in render_crispy_form(form)


class RequiredAndOptionalForm(RequiredOnlyWithSpamTrapForm):
    hidden_from_people = ()  # the same field, shown: then it is an optional field


def test_a_spam_trap_kept_from_people_does_not_count_as_an_optional_field():
    assert "may be left empty" not in render(RequiredOnlyWithSpamTrapForm())
    assert "may be left empty" in render(RequiredAndOptionalForm())


def test_errors_are_linked_marked_invalid_and_one_per_field():
    html = render(invalid_form())
    assert '<span class="usa-error-message" id="id_email-error">Enter a valid email address.</span>' in html
    assert re.search(r'<input[^>]*aria-describedby="id_email-error"[^>]*aria-invalid="true"|aria-invalid="true"', html)
    assert re.search(r'<input[^>]*aria-describedby="id_name-hint id_name-error"', html)
    assert html.count('id="id_name-error"') == 1
    assert "usa-form-group--error" in html
    assert "usa-input--error" in html


def test_values_entered_stay_filled_in_after_an_error():
    html = render(invalid_form())
    assert 'value="not-an-email"' in html
    assert re.search(r'value="k5"[^>]*checked', html)


def test_error_summary_comes_first_links_to_each_field_and_takes_focus():
    html = render(invalid_form())
    summary = html.index("There is a problem")
    assert summary < html.index('for="id_name"')
    assert re.search(r'<div class="usa-alert__body" tabindex="-1" autofocus>', html)
    assert '<a href="#id_email">Enter a valid email address.</a>' in html
    assert '<a href="#id_message">This field is required.</a>' in html


def test_no_error_summary_on_a_fresh_form():
    assert "There is a problem" not in render(SampleForm())


def test_radio_and_checkbox_groups_are_fieldsets_with_legends():
    html = render(SampleForm())
    assert re.search(
        r'<fieldset class="usa-fieldset usa-form-group" id="div_id_audience">\s*<legend class="usa-legend">Audience',
        html,
    )
    assert 'class="usa-radio__input" type="radio" name="audience" id="id_audience_0" value="k5"' in html
    assert re.search(r'<legend class="usa-legend">Days <span class="text-base-dark">\(optional\)</span>', html)
    assert 'class="usa-checkbox__input" type="checkbox" name="days" id="id_days_1" value="tue"' in html


def test_a_fieldset_error_is_described_on_the_fieldset():
    form = SampleForm(data={})
    form.is_valid()
    html = render(form)
    assert 'id="div_id_audience" aria-describedby="id_audience-error"' in html


def test_whole_form_with_helper_has_csrf_and_a_uswds_button():
    form = SampleForm()
    form.helper = FormHelper()
    form.helper.form_method = "post"
    form.helper.add_input(Submit("send", "Send request"))
    html = render_crispy_form(form, context={"csrf_token": "token123"})
    assert re.search(r'<form\s+method="post" class="usa-form usa-form--large" novalidate>', html)
    assert 'name="csrfmiddlewaretoken"' in html
    assert 'value="Send request" class="usa-button" id="submit-id-send"' in html


@pytest.mark.parametrize("value", ["", "mo", "il", "nowhere"])
def test_the_quick_drop_down_draws_the_same_markup_as_djangos(value):
    from django.test.html import parse_html

    from programs.forms import QuickSelect

    choices = [("", "Any state"), ("il", "Illinois"), ("mo", "Missouri"), ("tx", "Texas & <Co>")]
    attrs = {"id": "id_state", "class": "usa-select", "aria-describedby": "id_state-hint"}
    quick, django_select = QuickSelect(choices=choices), forms.Select(choices=choices)
    quick_html, django_html = (w.render("state", value, attrs=attrs) for w in (quick, django_select))
    assert parse_html(quick_html) == parse_html(django_html)  # the same elements, attributes and text


@pytest.mark.parametrize("value", [None, "", "hillsboro", 'Fox "C-6" & <Co>', 12])
def test_the_quick_text_box_draws_the_same_markup_as_djangos(value):
    from django.test.html import parse_html

    from programs.forms import QuickTextInput

    attrs = {"id": "id_q", "class": "usa-input", "maxlength": "100", "required": True, "aria-invalid": False}
    quick, django_input = QuickTextInput(), forms.TextInput()
    quick_html, django_html = (w.render("q", value, attrs=attrs) for w in (quick, django_input))
    assert parse_html(quick_html) == parse_html(django_html)  # the same elements, attributes and text
