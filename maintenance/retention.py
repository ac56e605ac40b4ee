"""The public's personal data is kept for SUBMISSION_RETENTION_DAYS after a submission is closed, then erased.

What the sender gave about themselves (name, email, phone) and every free text
(their message, and staff notes and mail-server errors, which quote it) are
emptied; what is needed for counts (kind, program, school, dates, status) is
kept. A complaint's history rows hold copies of the same fields: they are
emptied too, or a revert would bring the data back.
"""

import logging
from dataclasses import dataclass

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from inbox.models import Submission
from officer_feedback.models import Feedback

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Retained:
    model: type
    erased: dict  # field -> the value it is left with

    @property
    def label(self):
        return self.model._meta.verbose_name_plural


RETAINED = [
    Retained(
        Submission,
        {
            "name": "",
            "email": "",
            "phone": "",
            "message": "",
            "internal_notes": "",
            "last_notification_error": "",
        },
    ),
    Retained(
        Feedback,
        {
            "name": "",
            "email": "",
            "phone": "",
            "what_happened": "",
            "place": "",
            "happened_time": "",
            "officer_description": "",
            "internal_notes": "",
            "last_notification_error": "",
        },
    ),
]


def _erase_from_admin_log(model, ids):
    """The admin's action log keeps each object's name as it was (a request's says who sent it)."""
    content_type = ContentType.objects.get_for_model(model)
    for record in model.objects.filter(pk__in=ids):
        LogEntry.objects.filter(content_type=content_type, object_id=str(record.pk)).update(object_repr=str(record))


def purge_expired(now=None, dry_run=False):
    """Erase the personal fields of every submission closed longer than the retention period.

    Returns {verbose name plural: how many}. Idempotent: an erased submission is never counted again.
    """
    now = now or timezone.now()
    erased = {}
    for retained in RETAINED:
        expired = retained.model.objects.personal_data_expired(now)
        ids = list(expired.values_list("pk", flat=True))
        if ids and not dry_run:
            with transaction.atomic():
                # update(): no signal, no new history row holding the data once more.
                retained.model.objects.filter(pk__in=ids).update(**retained.erased, personal_data_erased_at=now)
                history = getattr(retained.model, "history", None)
                if history is not None:
                    kept_in_history = {f.name for f in history.model._meta.get_fields()}
                    history.filter(id__in=ids).update(
                        **{field: value for field, value in retained.erased.items() if field in kept_in_history}
                    )
                _erase_from_admin_log(retained.model, ids)
        erased[str(retained.label)] = len(ids)
    logger.info(
        "personal data %s: %s",
        "due for erasure" if dry_run else "erased",
        ", ".join(f"{count} {label}" for label, count in erased.items()),
    )
    return erased
