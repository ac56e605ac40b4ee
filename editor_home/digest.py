"""The weekly email to editors: what needs attention in their agencies, each item
at most once in EDITOR_REMINDER_DAYS (send_editor_digest)."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from programs.models import AgencyMembership, Program

from .attention import CHECKS, AttentionCheck, checks_for
from .models import ReminderSent

NAMES_SHOWN = 5  # in each line of the email; the link lists them all


@dataclass
class DigestLine:
    check: AttentionCheck
    text: str
    url: str
    names: list[str]
    more: int
    items: list[str] = field(repr=False)  # what ReminderSent records


def _recently_reminded(recipient, now):
    since = now - timedelta(days=settings.EDITOR_REMINDER_DAYS)
    return set(ReminderSent.objects.filter(recipient=recipient, sent_at__gte=since).values_list("item", flat=True))


def digest_lines(recipient, agency_ids, today: date, now=None, checks=None, objects=None):
    """What to tell `recipient` about these agencies: the items not reminded about lately.

    `objects` narrows a check's objects further (a program contact hears about their own program only).
    """
    reminded = _recently_reminded(recipient, now or timezone.now())
    lines = []
    for check in checks if checks is not None else checks_for(today):
        queryset = check.objects(agency_ids, today)
        if objects is not None:
            queryset = objects(check, queryset)
        pks = [pk for pk in queryset.values_list("pk", flat=True) if f"{check.key}:{pk}" not in reminded]
        if not pks:
            continue
        shown = check.model._default_manager.filter(pk__in=pks[:NAMES_SHOWN])
        lines.append(
            DigestLine(
                check=check,
                text=check.sentence(len(pks), today),
                url=settings.SITE_URL + check.url(),
                names=sorted(check.describe(obj) for obj in shown),
                more=max(len(pks) - NAMES_SHOWN, 0),
                items=[f"{check.key}:{pk}" for pk in pks],
            )
        )
    return lines


def _send(recipient, lines, template, context):
    count = len(lines)
    send_mail(
        subject=f"{settings.SITE_NAME}: {count} thing{'s' if count != 1 else ''} to look at",
        message=render_to_string(
            template,
            {
                "site_name": settings.SITE_NAME,
                "site_url": settings.SITE_URL,
                "reminder_days": settings.EDITOR_REMINDER_DAYS,
                **context,
                "lines": lines,
            },
        ),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[recipient],
    )
    now = timezone.now()
    with transaction.atomic():
        for line in lines:
            for item in line.items:
                ReminderSent.objects.update_or_create(recipient=recipient, item=item, defaults={"sent_at": now})


def editors_with_agencies():
    """{editor: agency ids} for every active staff member with an email and an agency."""
    editors = {}
    memberships = AgencyMembership.objects.filter(
        user__is_active=True, user__is_staff=True, user__email__gt=""
    ).select_related("user")
    for membership in memberships:
        editors.setdefault(membership.user, set()).add(membership.agency_id)
    return editors


def send_editor_digests(today: date | None = None, dry_run=False):
    """Send each editor, and each program contact without an editor, their digest. Returns (sent, quiet)."""
    today = today or timezone.localdate()
    sent = quiet = 0
    editors = editors_with_agencies()
    for user, agency_ids in sorted(editors.items(), key=lambda pair: pair[0].pk):
        lines = digest_lines(user.email, agency_ids, today)
        if not lines:
            quiet += 1
            continue
        if not dry_run:
            _send(user.email, lines, "editor_home/email/digest.txt", {"person": user, "admin_url": _admin_url()})
        sent += 1

    # Agencies nobody edits: the program contact hears that the page is due for review.
    edited = set().union(*editors.values()) if editors else set()
    review_due = CHECKS["review-due"]
    contacts = {}
    for program in review_due.objects(None, today).exclude(agency_id__in=edited).exclude(contact_email=""):
        contacts.setdefault(program.contact_email.lower(), []).append(program.pk)
    for address, program_ids in sorted(contacts.items()):
        lines = digest_lines(
            address,
            None,
            today,
            checks=[review_due],
            objects=lambda check, queryset, ids=program_ids: queryset.filter(pk__in=ids),
        )
        if not lines:
            quiet += 1
            continue
        if not dry_run:
            due_ids = [int(item.split(":")[1]) for line in lines for item in line.items]
            programs = Program.objects.filter(pk__in=due_ids).select_related("agency")
            _send(address, lines, "editor_home/email/review_due_contact.txt", {"programs": programs})
        sent += 1
    return sent, quiet


def _admin_url():
    return settings.SITE_URL + "/" + settings.ADMIN_URL
