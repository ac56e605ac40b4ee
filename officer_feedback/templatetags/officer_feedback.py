from django import template

from ..models import Feedback

register = template.Library()


@register.simple_tag
def new_feedback_count(user):
    """New complaints and commendations this staff member handles (professional standards only)."""
    return Feedback.objects.visible_to(user).filter(status=Feedback.Status.NEW).count()
