"""Subscribing by email, through a real SMTP server: confirmation first, nothing else to an
unconfirmed address, the same answer whatever the address's state, every email in the
subscriber's language with one-click unsubscribe (RFC 8058) and a link to change the choice."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from programs.models import Program
from tests.factories import ProgramFactory, SubscriptionFactory, UpdateFactory
from tests.updates.conftest import body, link
from updates.models import OutgoingEmail, Subscriber, Subscription, Update
from updates.sending import send_due
from updates.weekly import queue_weekly_summaries

pytestmark = pytest.mark.django_db


@pytest.fixture
def program(settings):
    settings.FORM_RATE_LIMIT = 100
    return ProgramFactory(slug="jefferson-county")


def subscribe(client, email="pat@example.org", frequency="immediately", language=""):
    return client.post(
        f"{language}/programs/jefferson-county/updates/subscribe/", {"email": email, "frequency": frequency}
    )


def publish(program, **values):
    return UpdateFactory(program=program, **values)


def confirm(client, message):
    path = link(message, "confirm")
    assert "Confirm" in client.get(path).content.decode()
    return client.post(path)


def test_a_resident_subscribes_confirms_gets_an_update_and_unsubscribes_with_one_click(client, program, smtp_server):
    response = subscribe(client)
    assert response.status_code == 302 and response["Location"] == "/updates/subscribe/check-your-email/"
    [confirmation] = smtp_server.to("pat@example.org")
    assert "Confirm your email updates" in confirmation["Subject"]
    assert "You are subscribed" in confirm(client, confirmation).content.decode()

    smtp_server.clear()
    publish(program, title="Coffee with the SROs")
    send_due()
    [message] = smtp_server.to("pat@example.org")
    assert "Coffee with the SROs" in message["Subject"]
    unsubscribe = str(message["List-Unsubscribe"]).strip().strip("<>")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe.removeprefix("http://testserver") == link(message, "unsubscribe")
    assert "/updates/manage/" in body(message)

    # What a mailbox provider does (RFC 8058): a POST with that body, no cookie, no CSRF token.
    client.cookies.clear()
    client.handler.enforce_csrf_checks = True
    one_click = client.post(unsubscribe.removeprefix("http://testserver"), {"List-Unsubscribe": "One-Click"})
    assert one_click.status_code == 200 and "You are unsubscribed" in one_click.content.decode()
    assert not Subscriber.objects.exists()  # the address is not kept once unsubscribed

    smtp_server.clear()
    publish(program, title="Another one")
    send_due()
    assert smtp_server.messages == []


def test_the_unsubscribe_link_asks_before_it_unsubscribes(client, program, smtp_server):
    subscription = SubscriptionFactory(program=program)
    publish(program)
    send_due()
    path = link(smtp_server.messages[0], "unsubscribe")
    page = client.get(path).content.decode()
    assert '<button type="submit" class="usa-button">Unsubscribe</button>' in page
    assert Subscription.objects.filter(pk=subscription.pk).exists()  # a GET (a mail scanner) changes nothing
    # Its address holds the token: never named as the page's canonical or shared address.
    assert '<meta name="robots" content="noindex">' in page
    assert 'rel="canonical"' not in page and 'property="og:url"' not in page


def test_an_unconfirmed_address_gets_nothing_but_the_confirmation(client, program, smtp_server):
    subscribe(client)
    publish(program, title="Safety night")
    call_command("send_pending_notifications", stdout=None)
    call_command("send_weekly_updates", stdout=None)
    [only] = smtp_server.to("pat@example.org")
    assert only["Subject"].startswith("Confirm your email updates from")
    assert not OutgoingEmail.objects.exists()


def test_the_answer_is_the_same_whether_or_not_the_address_was_subscribed(client, program, smtp_server):
    SubscriptionFactory(
        program=program,
        subscriber__email="known@example.org",
        confirmation_sent_at=timezone.now() - timedelta(days=30),
    )
    known = subscribe(client, "known@example.org")
    unknown = subscribe(client, "new@example.org")
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert client.get(known["Location"]).content == client.get(unknown["Location"]).content
    # Both get the same confirmation email: it tells nobody which was subscribed already.
    [to_known], [to_new] = smtp_server.to("known@example.org"), smtp_server.to("new@example.org")
    strip = lambda m: body(m).replace(link(m, "confirm"), "")  # noqa: E731
    assert strip(to_known) == strip(to_new)


def test_a_second_request_within_minutes_sends_no_second_email(client, program, smtp_server):
    subscribe(client)
    subscribe(client)
    assert len(smtp_server.to("pat@example.org")) == 1


def test_an_expired_confirmation_link_does_not_work_and_the_address_is_deleted(client, program, smtp_server, settings):
    subscribe(client)
    path = link(smtp_server.messages[0], "confirm")
    Subscription.objects.update(created_at=timezone.now() - timedelta(hours=73))
    call_command("send_pending_notifications", stdout=None)
    assert not Subscriber.objects.exists()
    assert client.get(path).status_code == 400


def test_a_tampered_link_does_not_work(client, program, smtp_server):
    subscribe(client)
    path = link(smtp_server.messages[0], "confirm")
    assert client.post(path[:-3] + "xx/").status_code == 400
    assert client.post("/updates/unsubscribe/not-a-token/").status_code == 400
    assert not Subscription.objects.confirmed().exists()


def test_every_email_is_in_the_subscribers_language(client, program, smtp_server):
    subscribe(client, "ana@example.org", language="/es")
    [confirmation] = smtp_server.to("ana@example.org")
    assert "Confirme" in confirmation["Subject"]
    assert "/es/updates/confirm/" in body(confirmation)
    confirm(client, confirmation)
    smtp_server.clear()
    publish(program, title_en="Safety night", title_es="Noche de seguridad", text_en="Come.", text_es="Venga.")
    send_due()
    [message] = smtp_server.messages
    assert "Noche de seguridad" in message["Subject"] and "Venga." in body(message)
    assert "/es/updates/unsubscribe/" in message["List-Unsubscribe"]


def test_the_subscriber_changes_to_a_weekly_summary(client, program, smtp_server):
    SubscriptionFactory(program=program, subscriber__email="pat@example.org")
    publish(program, title="First news")
    send_due()
    manage = link(smtp_server.messages[0], "manage")
    form = client.get(manage).content.decode()
    field = "subscription_" + form.split('name="subscription_')[1].split('"')[0]
    assert client.post(manage, {field: "weekly"}).status_code == 302
    assert Subscription.objects.get().frequency == "weekly"
    smtp_server.clear()
    publish(program, title="Second news")
    send_due()
    assert smtp_server.messages == []  # it waits for the summary


def test_the_weekly_summary_lists_the_weeks_updates_once(client, program, smtp_server):
    SubscriptionFactory(program=program, frequency="weekly", subscriber__email="pat@example.org")
    state = program.agency.state
    SubscriptionFactory(program=None, state=state, frequency="weekly", subscriber__email="jo@example.org")
    days_since_monday = timezone.localdate().weekday()
    monday = timezone.localdate() - timedelta(days=days_since_monday + 7)
    for title in ["Officer news", "Safety night"]:
        update = publish(program, title=title)
        last_thursday = timezone.now() - timedelta(days=days_since_monday + 4)
        Update.objects.filter(pk=update.pk).update(published_at=last_thursday, announced_at=last_thursday)
    call_command("send_weekly_updates", stdout=None)
    call_command("send_weekly_updates", stdout=None)  # the same week again: nothing more
    [summary] = smtp_server.to("pat@example.org")
    assert "Officer news" in body(summary) and "Safety night" in body(summary)
    assert summary["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert len(smtp_server.to("jo@example.org")) == 1
    assert OutgoingEmail.objects.filter(week=monday).count() == 2


def test_an_address_subscribed_to_the_program_and_its_state_gets_an_update_once(program, smtp_server):
    subscription = SubscriptionFactory(program=program)
    SubscriptionFactory(program=None, state=program.agency.state, subscriber=subscription.subscriber)
    publish(program)
    send_due()
    send_due()
    assert len(smtp_server.messages) == 1


def test_editing_or_republishing_an_update_sends_nothing_more(program, smtp_server):
    SubscriptionFactory(program=program)
    update = publish(program)
    send_due()
    update.status = Update.Status.DRAFT
    update.save()
    update.status = Update.Status.PUBLISHED
    update.title = "Corrected"
    update.save()
    send_due()
    assert len(smtp_server.messages) == 1


def test_updates_published_while_the_program_was_a_draft_go_out_once_it_is_published(smtp_server):
    program = ProgramFactory(status=Program.Status.DRAFT)
    SubscriptionFactory(program=program, subscriber__email="pat@example.org")
    SubscriptionFactory(program=None, state=program.agency.state, subscriber__email="jo@example.org")
    publish(program, title="Officer news")
    publish(program, title="Safety night")
    publish(program, title="Not ready", status=Update.Status.DRAFT)
    assert send_due() == (0, 0)
    program.status = Program.Status.PUBLISHED
    program.save()
    assert send_due() == (4, 0)
    for address in ["pat@example.org", "jo@example.org"]:
        subjects = sorted(m["Subject"] for m in smtp_server.to(address))
        assert len(subjects) == 2 and "Officer news" in subjects[0] and "Safety night" in subjects[1], subjects
    smtp_server.clear()
    program.save()  # saved again, and published again after a spell as a draft: nothing more
    program.status = Program.Status.DRAFT
    program.save()
    program.status = Program.Status.PUBLISHED
    program.save()
    assert send_due() == (0, 0)
    assert smtp_server.messages == []


def test_an_update_announced_with_its_program_is_in_that_weeks_summary(smtp_server):
    program = ProgramFactory(status=Program.Status.DRAFT)
    SubscriptionFactory(program=program, frequency="weekly", subscriber__email="pat@example.org")
    publish(program, title="Officer news")
    program.status = Program.Status.PUBLISHED
    program.save()
    queue_weekly_summaries(timezone.localdate() - timedelta(days=timezone.localdate().weekday()))
    send_due()
    [summary] = smtp_server.to("pat@example.org")
    assert "Officer news" in body(summary)


def test_a_refused_address_is_retried_later_and_the_others_go_out(program, smtp_server):
    SubscriptionFactory.create_batch(3, program=program)
    refused = SubscriptionFactory(program=program, subscriber__email="full@example.org")
    smtp_server.refuse.add("full@example.org")
    publish(program)
    assert send_due() == (3, 1)
    failed = OutgoingEmail.objects.get(subscriber=refused.subscriber)
    assert failed.sent_at is None and failed.next_notification_at > timezone.now()
    assert "mailbox unavailable" in failed.last_notification_error
    smtp_server.refuse.clear()
    OutgoingEmail.objects.filter(pk=failed.pk).update(next_notification_at=timezone.now())
    assert send_due() == (1, 0)
    assert len(smtp_server.messages) == 4


def test_a_sender_that_died_leaves_its_batch_to_the_next_run(program, smtp_server):
    SubscriptionFactory.create_batch(5, program=program)
    publish(program)
    # A run took every email and died before sending them: its hold runs out, then they go.
    OutgoingEmail.objects.update(batch="dead", next_notification_at=timezone.now() + timedelta(minutes=15))
    assert send_due() == (0, 0)
    OutgoingEmail.objects.update(next_notification_at=timezone.now())
    assert send_due() == (5, 0)
    assert send_due() == (0, 0)
    assert len(smtp_server.messages) == 5


def test_emails_go_out_in_batches_over_one_connection(program, smtp_server, settings):
    SubscriptionFactory.create_batch(7, program=program)
    publish(program)
    assert send_due(batch_size=3) == (7, 0)
    assert smtp_server.connections == 1
    assert len({m["To"] for m in smtp_server.messages}) == 7


def test_publishing_queues_and_returns_without_sending(program, smtp_server):
    SubscriptionFactory.create_batch(3, program=program)
    SubscriptionFactory(program=program, confirmed_at=None)
    publish(program)
    assert smtp_server.messages == []
    assert OutgoingEmail.objects.filter(sent_at__isnull=True).count() == 3


def test_the_subscribe_form_is_rate_limited(client, program, settings):
    settings.FORM_RATE_LIMIT = 2
    for n in range(2):
        assert subscribe(client, f"a{n}@example.org").status_code == 302
    limited = subscribe(client, "a3@example.org")
    assert limited.status_code == 429 and limited["Retry-After"]
    assert Subscriber.objects.count() == 2


def test_the_subscribe_form_explains_its_errors(client, program):
    page = subscribe(client, "not an address").content.decode()
    assert "Enter an email address like name@example.org." in page
    assert not Subscriber.objects.exists()
