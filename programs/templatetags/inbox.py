from django import template

from ..models import Submission, editable_agency_ids

register = template.Library()


@register.simple_tag
def new_submissions_count(user):
    """New items in the inbox of this staff member's agencies."""
    submissions = Submission.objects.filter(status=Submission.Status.NEW)
    agencies = editable_agency_ids(user)
    if agencies is not None:
        submissions = submissions.filter(program__agency_id__in=agencies)
    return submissions.count()
