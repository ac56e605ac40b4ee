from django import template

from page_cache.pages import tag_page

from .. import alerts

register = template.Library()


@register.simple_tag(takes_context=True)
def page_alerts(context, program_id=None):
    """Alerts for this page: sitewide ones, and the program's own on its pages."""
    request = context.get("request")
    if request is not None:
        tag_page(request, "alerts")
    return alerts.alerts_for(program_id or None)  # "" when the page has no program
