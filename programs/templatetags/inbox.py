from django import template

from ..models import Submission

register = template.Library()


@register.simple_tag
def new_submissions_count():
    return Submission.objects.filter(status=Submission.Status.NEW).count()
