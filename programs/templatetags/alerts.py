from django import template

from .. import alerts
from ..page_cache import tag_page

register = template.Library()


@register.simple_tag(takes_context=True)
def page_alerts(context):
    """Alerts for this page: sitewide ones, and the program's own on its pages."""
    request = context.get("request")
    if request is not None:
        tag_page(request, "alerts")
    program = context.get("program")
    # A model on the form pages; a page document's dict on the program page (programs/program_pages.py).
    program_id = program["pk"] if isinstance(program, dict) else getattr(program, "pk", None)
    return alerts.alerts_for(program_id)
