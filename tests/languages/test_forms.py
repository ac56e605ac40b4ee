"""Forms in Spanish: the submission records its language, the confirmation goes out in it, and
the staff email (in English) says which language the person used."""

from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from inbox.models import Submission
from officer_feedback.models import Feedback, ProfessionalStandardsContact
from tests.factories import ProgramFactory
from tests.inbox.test_forms import CLOSED_SMTP, valid_question

pytestmark = pytest.mark.django_db


@pytest.fixture
def program():
    return ProgramFactory(slug="jefferson-county", contact_email="sro@example.org")


def test_a_question_asked_in_spanish_is_answered_in_spanish_and_staff_are_told(client, program):
    response = client.post("/es/programs/jefferson-county/ask-a-question/", valid_question())
    assert response.status_code == 302
    assert response["Location"].startswith("/es/programs/jefferson-county/thank-you/")
    submission = Submission.objects.get()
    assert submission.language == "es"
    staff, confirmation = mail.outbox
    assert "Language: Spanish" in staff.body
    assert "Question or comment" in staff.subject  # staff read English
    assert confirmation.subject.startswith("Recibimos su mensaje (referencia ")
    assert "Su número de referencia es" in confirmation.body
    assert "llame al 911" in confirmation.body
    thanks = client.get(response["Location"]).content.decode()
    assert "Gracias: recibimos su mensaje" in thanks


def test_an_accessibility_barrier_reported_in_spanish_is_confirmed_in_spanish(client, program):
    response = client.post("/es/programs/jefferson-county/report-an-accessibility-barrier/", valid_question())
    assert response.status_code == 302
    submission = Submission.objects.get()
    assert (submission.kind, submission.language) == (Submission.Kind.ACCESSIBILITY, "es")
    staff, confirmation = mail.outbox
    assert "Language: Spanish" in staff.body
    assert confirmation.subject.startswith("Recibimos su mensaje")


def test_a_question_asked_in_english_stays_english(client, program):
    client.post("/programs/jefferson-county/ask-a-question/", valid_question())
    assert Submission.objects.get().language == "en"
    staff, confirmation = mail.outbox
    assert "Language: English" in staff.body
    assert confirmation.subject.startswith("We received your message")


def test_a_confirmation_retried_later_is_still_in_the_requesters_language(client, program, settings):
    for key, value in CLOSED_SMTP.items():
        setattr(settings, key, value)
    settings.EMAIL_TIMEOUT = 2
    client.post("/es/programs/jefferson-county/ask-a-question/", valid_question())
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    Submission.objects.update(next_notification_at=timezone.now())
    call_command("send_pending_notifications", stdout=StringIO(), stderr=StringIO())  # run by cron, in English
    staff, confirmation = mail.outbox
    assert "Language: Spanish" in staff.body
    assert confirmation.subject.startswith("Recibimos su mensaje")


def test_spanish_form_errors_are_in_spanish(client, program):
    html = client.post("/es/programs/jefferson-county/ask-a-question/", {}).content.decode()
    assert "Hay un problema" in html
    assert "Escriba su nombre." in html
    assert "Error: Hacer una pregunta o dejar un comentario" in html
    # Django's own validation messages come from Django's Spanish catalogue.
    html = client.post("/es/programs/jefferson-county/ask-a-question/", valid_question(name="x" * 200)).content.decode()
    assert "Asegúrese de que este valor tenga menos de 100 caracteres (tiene 200)." in html


def test_a_report_filed_in_spanish_records_it_and_is_confirmed_in_spanish(client, program):
    ProfessionalStandardsContact.objects.create(
        agency=program.agency, unit="Professional Standards Unit", email="ps@example.org", phone="636-555-0199"
    )
    response = client.post(
        "/es/programs/jefferson-county/compliment-or-complain/",
        {"kind": "commendation", "what_happened": "Ayudó a mi hija.", "email": "pat@example.org"},
    )
    assert response.status_code == 302
    assert Feedback.objects.get().language == "es"
    report, confirmation = mail.outbox
    assert "Language: Spanish" in report.body
    assert confirmation.subject.startswith("Recibimos su elogio (referencia ")
    assert "Gracias por su elogio" in confirmation.body
