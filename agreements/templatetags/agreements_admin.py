from django import template
from django.utils import timezone

from programs.models import editable_agency_ids

from ..models import Agreement

register = template.Library()


@register.simple_tag
def agreements_needing_attention(user):
    """Agreements of this staff member's agencies whose review is due or which have expired."""
    agreements = Agreement.objects.with_status(timezone.localdate()).filter(
        status__in=[Agreement.Status.REVIEW_DUE, Agreement.Status.EXPIRED]
    )
    agencies = editable_agency_ids(user)
    if agencies is not None:
        agreements = agreements.for_agencies(agencies)
    return agreements.count()
