"""{% extensions "point" %}: where a domain page shows what other apps registered (programs/hooks.py)."""

from django import template
from django.utils.safestring import mark_safe

from .. import hooks

register = template.Library()


@register.simple_tag(takes_context=True)
def extensions(context, point):
    """Each template registered at `point`, rendered as `{% include %}` would (same context), in registration
    order: the output is the included templates', already escaped by them."""
    parts = []
    for name in hooks.get_hooks(point):
        included = context.template.engine.get_template(name)
        with context.push():
            parts.append(included.render(context))
    return mark_safe("".join(parts))  # noqa: S308 (rendered templates, escaped by the template engine)
