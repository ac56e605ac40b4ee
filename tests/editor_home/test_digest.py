"""send_editor_digest: one short email per editor with something needing attention,
each item at most once in 30 days, never another agency's items."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from editor_home.models import ReminderSent
from inbox.models import Submission
from programs.models import Program
from tests.editor_home.test_home import make_editor
from tests.factories import ProgramFactory, SchoolFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def mine():
    program = ProgramFactory(agency__name="Mine Sheriff", contact_email="sro@mine.example.org")
    Program.objects.filter(pk=program.pk).update(last_reviewed=timezone.localdate())
    return program


@pytest.fixture
def theirs():
    program = ProgramFactory(agency__name="Theirs Police", contact_email="sro@theirs.example.org")
    Program.objects.filter(pk=program.pk).update(last_reviewed=timezone.localdate())
    return program


@pytest.fixture
def editor(mine, theirs):
    return make_editor("mine-editor", mine.agency)


def digest():
    mail.outbox.clear()
    out = StringIO()
    call_command("send_editor_digest", stdout=out)
    return out.getvalue()


def test_an_editor_gets_one_short_email_listing_what_needs_attention_with_links(editor, mine, settings):
    settings.SITE_URL = "https://sro.example.org"
    SchoolFactory(agency=mine.agency, name="Lincoln Elementary School")
    Submission.objects.create(program=mine, kind="question", name="Pat Doe", email="p@example.org")
    output = digest()
    [message] = mail.outbox
    assert message.to == [editor.email]
    assert "things to look at" in message.subject
    assert "- 1 school has no officer this school year" in message.body
    assert "Lincoln Elementary School" in message.body
    assert "https://sro.example.org/admin/programs/school/?attention=no-officer-this-year" in message.body
    assert "1 new request and question waiting for a reply" in message.body and "Pat Doe" in message.body
    assert "Sent 1 digest(s)" in output


def test_nothing_is_sent_when_nothing_needs_attention(editor):
    assert "Sent 0 digest(s); 1 recipient(s) had nothing new" in digest()
    assert mail.outbox == []


def test_the_same_item_is_reminded_at_most_once_in_30_days(editor, mine):
    school = SchoolFactory(agency=mine.agency, name="Lincoln Elementary School")
    digest()
    assert len(mail.outbox) == 1
    digest()
    assert mail.outbox == []  # still unfixed, but they were told this week

    SchoolFactory(agency=mine.agency, name="Washington Middle School")
    digest()
    [message] = mail.outbox  # only what is new
    assert "Washington Middle School" in message.body and "Lincoln" not in message.body

    ReminderSent.objects.filter(item=f"no-officer-this-year:{school.pk}").update(
        sent_at=timezone.now() - timedelta(days=31)
    )
    digest()
    [message] = mail.outbox
    assert "Lincoln Elementary School" in message.body and "Washington" not in message.body


def test_a_digest_never_lists_another_agencys_items(editor, mine, theirs):
    SchoolFactory(agency=theirs.agency, name="Their School")
    Submission.objects.create(program=theirs, kind="question", name="Their Requester", email="t@example.org")
    make_editor("their-editor", theirs.agency)
    SchoolFactory(agency=mine.agency, name="My School")
    digest()
    by_recipient = {message.to[0]: message.body for message in mail.outbox}
    assert set(by_recipient) == {"mine-editor@example.org", "their-editor@example.org"}
    assert "My School" in by_recipient["mine-editor@example.org"]
    assert "Their School" not in by_recipient["mine-editor@example.org"]
    assert "Their Requester" not in by_recipient["mine-editor@example.org"]
    assert "My School" not in by_recipient["their-editor@example.org"]


def test_an_editor_of_two_agencies_gets_one_email_for_both(mine, theirs):
    make_editor("both", mine.agency, theirs.agency)
    SchoolFactory(agency=mine.agency, name="My School")
    SchoolFactory(agency=theirs.agency, name="Their School")
    digest()
    [message] = mail.outbox
    assert "2 schools have no officer" in message.body


def test_the_program_contact_gets_the_review_reminder_when_the_agency_has_no_editor(editor, mine, theirs):
    Program.objects.filter(pk=theirs.pk).update(last_reviewed=timezone.localdate() - timedelta(days=400))
    SchoolFactory(agency=theirs.agency, name="Their School")  # contacts hear only about the review
    digest()
    [message] = mail.outbox
    assert message.to == ["sro@theirs.example.org"]
    assert "1 program page is due for review" in message.body
    assert theirs.get_absolute_url() in message.body
    assert "Their School" not in message.body
    digest()
    assert mail.outbox == []


def test_the_program_contact_is_not_written_to_when_an_editor_exists(editor, mine):
    Program.objects.filter(pk=mine.pk).update(last_reviewed=None)
    digest()
    assert [message.to for message in mail.outbox] == [[editor.email]]


def test_editors_without_an_email_address_or_no_longer_active_get_nothing(mine):
    make_editor("no-email", mine.agency, email=False)
    gone = make_editor("gone", mine.agency)
    gone.is_active = False
    gone.save()
    SchoolFactory(agency=mine.agency)
    digest()
    assert mail.outbox == []


def test_a_dry_run_sends_and_records_nothing(editor, mine):
    SchoolFactory(agency=mine.agency)
    out = StringIO()
    call_command("send_editor_digest", "--dry-run", stdout=out)
    assert "Would send 1 digest(s)" in out.getvalue()
    assert mail.outbox == [] and not ReminderSent.objects.exists()


def test_superusers_can_look_up_the_reminders_sent_and_editors_cannot(staff_client, client, editor, mine):
    from django.urls import reverse

    SchoolFactory(agency=mine.agency, name="Lincoln Elementary School")
    digest()
    listed = staff_client.get(reverse("admin:editor_home_remindersent_changelist")).context["cl"].result_list
    assert [reminder.recipient for reminder in listed] == [editor.email]
    client.force_login(editor)
    assert client.get(reverse("admin:editor_home_remindersent_changelist")).status_code == 403
