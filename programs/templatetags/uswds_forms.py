"""The one place that decides the attributes of a USWDS form control: its
class, and the aria links to its hint and error message."""

from django import template

register = template.Library()

# Widget class name -> USWDS class of the control itself.
CONTROL_CLASSES = {
    "Textarea": "usa-textarea",
    "Select": "usa-select",
    "NullBooleanSelect": "usa-select",
    "SelectMultiple": "usa-select",
    "CheckboxInput": "usa-checkbox__input",
    "ClearableFileInput": "usa-file-input",
    "FileInput": "usa-file-input",
}
ERROR_CLASSES = {"usa-textarea": "usa-input--error", "usa-select": "usa-input--error", "usa-input": "usa-input--error"}


def hint_id(field):
    return f"{field.auto_id}-hint"


def error_id(field):
    return f"{field.auto_id}-error"


@register.filter
def describedby(field):
    """Space-separated ids of the field's hint and error, for aria-describedby."""
    ids = []
    if field.help_text:
        ids.append(hint_id(field))
    if field.errors:
        ids.append(error_id(field))
    return " ".join(ids)


@register.filter
def explains_optional(form):
    """Whether the form needs its note "Fields marked (optional) may be left empty; all others are
    required": when it has more than one field and one of them is marked "(optional)". Not for a
    sign-in form, whose every field is required. Fields a form keeps from people (its
    `hidden_from_people`: the public forms' spam trap) do not count."""
    hidden = getattr(form, "hidden_from_people", ())
    shown = [field for field in form.visible_fields() if field.name not in hidden]
    return len(shown) > 1 and any(not field.field.required for field in shown)


@register.simple_tag
def uswds_control(field):
    widget = field.field.widget
    # The nearest widget class listed: a QuickSelect is a Select.
    names = (cls.__name__ for cls in type(widget).__mro__)
    control_class = next((CONTROL_CLASSES[n] for n in names if n in CONTROL_CLASSES), "usa-input")
    classes = [widget.attrs.get("class", ""), control_class]
    attrs = {}
    if field.errors:
        classes.append(ERROR_CLASSES.get(control_class, ""))
        attrs["aria-invalid"] = "true"
    ids = describedby(field)
    if ids:
        attrs["aria-describedby"] = ids
    attrs["class"] = " ".join(c for c in classes if c)
    return field.as_widget(attrs=attrs)
