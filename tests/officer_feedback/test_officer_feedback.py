"""Complaints and commendations: both routes explained, filed with the agency's professional-standards
unit (never the officer named), kept and retried like every submission, never silently dropped, and in
the admin only for that agency's professional-standards group."""

import re
from datetime import timedelta
from io import StringIO

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import dateformat, timezone
from hypothesis import given
from hypothesis import strategies as st

from accounts.editors import make_editor
from officer_feedback.models import (
    Feedback,
    ProfessionalStandardsContact,
    ProfessionalStandardsMembership,
    SchoolMattersContact,
)
from programs.models import Program
from tests.factories import OfficerFactory, PartnershipFactory, ProgramFactory, UserFactory
from tests.inbox.test_forms_hypothesis import FIELD_VALUE, HYPOTHESIS

pytestmark = pytest.mark.django_db

CLOSED_SMTP = {
    "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
    "EMAIL_HOST": "127.0.0.1",
    "EMAIL_PORT": 1,
    "EMAIL_TIMEOUT": 2,
}


def standards_for(agency, **fields):
    defaults = {
        "unit": "Office of Professional Standards",
        "phone": "+16365550150",
        "email": "ops@county.example.org",
        "address": "100 Example Street\nSt. Charles, MO 63301",
    }
    return ProfessionalStandardsContact.objects.create(agency=agency, **(defaults | fields))


@pytest.fixture
def program():
    program = ProgramFactory(slug="st-charles-county", contact_email="sro@county.example.org")
    standards_for(program.agency)
    partnership = PartnershipFactory(program=program, district="Francis Howell School District")
    SchoolMattersContact.objects.create(
        partnership=partnership,
        office="Office of Student Services",
        phone="+16365550160",
        email="students@district.example.org",
        address="200 Example Avenue\nSt. Peters, MO 63376",
    )
    return program


@pytest.fixture
def officer(program):
    return OfficerFactory(agency=program.agency, first_name="Jordan", last_name="Officer", email="jordan@example.org")


def page_url(program):
    return reverse("officer_feedback:compliment_or_complain", args=[program.slug])


def report(**overrides):
    return {
        "kind": "complaint",
        "what_happened": "The officer shouted at my son in the cafeteria.",
        "happened_on": (timezone.localdate() - timedelta(days=2)).isoformat(),
        "happened_time": "about noon",
        "place": "Example High School cafeteria",
        "officer_choice": "",
        "officer_description": "",
        "name": "Sam Parent",
        "email": "sam@example.org",
        "phone": "",
    } | overrides


# --- The public page -------------------------------------------------------------------------


def test_program_page_links_to_compliment_or_complain(client, program):
    html = client.get(program.get_absolute_url()).content.decode()
    assert f'href="{page_url(program)}"' in html
    assert "Compliment or complain about an officer" in html


def test_page_explains_both_routes_with_their_contacts(client, program):
    html = client.get(page_url(program)).content.decode()
    assert "<h1" in html and "Compliment or complain about an officer" in html
    # The agency's professional-standards unit, with phone, email and address.
    assert "Office of Professional Standards" in html
    assert 'href="tel:+16365550150"' in html
    assert "mailto:ops@county.example.org" in html
    assert "100 Example Street<br>St. Charles, MO 63301" in html
    assert "The officer you name does not receive your report." in html
    # The school district's contact, for school matters.
    assert "Francis Howell School District" in html
    assert "Office of Student Services" in html
    assert 'href="tel:+16365550160"' in html
    assert "mailto:students@district.example.org" in html
    assert "discipline" in html
    # The form: USWDS pack, CSRF, no attachments and where evidence goes instead.
    assert 'name="csrfmiddlewaretoken"' in html
    assert 'class="usa-form usa-form--large"' in html
    assert 'type="file"' not in html
    assert "This form does not take attachments." in html
    assert 'email them to <a href="mailto:ops@county.example.org">' in html
    assert "anonymous" in html.lower()


def test_page_without_contacts_yet_points_to_the_agency(client):
    program = ProgramFactory(agency__phone="+16365550100")
    html = client.get(page_url(program)).content.decode()
    assert 'href="tel:+16365550100"' in html
    assert "ask for the office that handles complaints about officers" in html
    assert "school district's office" in html
    assert 'name="what_happened"' in html


def test_the_officer_list_is_the_programs_own(client, program, officer):
    OfficerFactory(first_name="Elsewhere", last_name="Deputy")
    OfficerFactory(agency=program.agency, first_name="Retired", last_name="Deputy", is_active=False)
    html = client.get(page_url(program)).content.decode()
    assert "Jordan Officer" in html
    assert "Elsewhere" not in html and "Retired" not in html
    assert "An officer not listed here" in html


def test_form_page_is_never_cached(client, program):
    assert "no-cache" in client.get(page_url(program))["Cache-Control"]
    assert "X-Page-Cache" not in client.get(page_url(program))


def test_a_draft_programs_page_is_not_found(client, program):
    Program.objects.filter(pk=program.pk).update(status=Program.Status.DRAFT)
    assert client.get(page_url(program)).status_code == 404
    assert client.post(page_url(program), report()).status_code == 404


# --- Filing, routing and the reference number -------------------------------------------------


def test_a_complaint_goes_to_professional_standards_with_a_reference(client, program, officer):
    response = client.post(page_url(program), report(officer_choice=str(officer.pk)))
    assert response.status_code == 302
    feedback = Feedback.objects.get()
    assert (feedback.kind, feedback.officer, feedback.status) == ("complaint", officer, "new")
    assert re.fullmatch(r"[2-9A-HJKMNP-Z]{8}", feedback.reference)
    assert not feedback.notification_pending
    to_unit, confirmation = mail.outbox
    assert to_unit.to == ["ops@county.example.org"]
    assert feedback.reference in to_unit.subject
    assert "Jordan Officer" in to_unit.body and "cafeteria" in to_unit.body
    assert settings.SITE_URL + reverse("admin:officer_feedback_feedback_change", args=[feedback.pk]) in to_unit.body
    received = timezone.localtime(feedback.created_at)
    assert f"Received: {dateformat.format(received, 'l, F j, Y, g:i a')} {received.strftime('%Z')}\n" in to_unit.body
    assert confirmation.to == ["sam@example.org"]
    assert feedback.reference in confirmation.body
    assert "ops@county.example.org" in confirmation.body  # where to send evidence
    thanks = client.get(response["Location"]).content.decode()
    assert f"<strong>{feedback.reference}</strong>" in thanks
    assert "mailto:ops@county.example.org" in thanks


def test_the_report_keeps_the_officers_name_if_their_record_goes(client, program, officer):
    client.post(page_url(program), report(officer_choice=str(officer.pk), officer_description="Badge 7"))
    officer.delete()  # an editor may delete an officer; the complaint must not lose who it was about
    feedback = Feedback.objects.get()
    assert feedback.officer is None
    assert feedback.officer_named == "Deputy Jordan Officer; Badge 7"


def test_never_sent_to_the_named_officer_nor_to_the_program_contact(client, program, officer):
    client.post(page_url(program), report(officer_choice=str(officer.pk), email=""))
    recipients = {address for message in mail.outbox for address in message.to + message.cc + message.bcc}
    assert recipients == {"ops@county.example.org"}
    assert officer.email not in recipients and program.contact_email not in recipients


def test_not_even_when_the_units_address_is_the_officers_own(client, program, officer):
    ProfessionalStandardsContact.objects.filter(agency=program.agency).update(email="JORDAN@example.org")
    response = client.post(page_url(program), report(officer_choice=str(officer.pk), email=""))
    assert response.status_code == 302  # saved; the person is not told about the unit's mistake
    feedback = Feedback.objects.get()
    assert mail.outbox == []
    assert feedback.notification_pending and "named officer" in feedback.last_notification_error


def test_a_commendation_with_an_officer_described_in_words(client, program):
    client.post(page_url(program), report(kind="commendation", officer_choice="other", officer_description="Badge 41"))
    feedback = Feedback.objects.get()
    assert (feedback.kind, feedback.officer, feedback.officer_named) == ("commendation", None, "Badge 41")
    assert "Badge 41" in mail.outbox[0].body


def test_anonymous_reports_are_accepted_and_need_no_confirmation(client, program):
    response = client.post(page_url(program), report(name="", email="", phone=""))
    assert response.status_code == 302
    feedback = Feedback.objects.get()
    assert feedback.is_anonymous and not feedback.notification_pending
    assert [m.to for m in mail.outbox] == [["ops@county.example.org"]]
    assert "anonymous" in mail.outbox[0].body
    thanks = client.get(response["Location"]).content.decode()
    assert feedback.reference in thanks
    assert "write your reference number down" in thanks


def test_what_is_needed_and_what_is_refused(client, program):
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    other_agencys = OfficerFactory()
    response = client.post(
        page_url(program),
        report(kind="", what_happened="", happened_on=tomorrow, officer_choice=str(other_agencys.pk), email="x"),
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error:" in html
    assert "There is a problem" in html and "autofocus" in html  # the error summary takes focus
    for message in (
        "Choose whether it is a complaint or a compliment.",
        "Describe what happened.",
        "The date cannot be in the future.",
        "Choose an officer from the list",
        "Enter an email address like name@example.org.",
    ):
        assert message in html
    assert 'href="#id_what_happened"' in html  # each error links to its field
    assert 'href="#id_kind_0"' in html  # a radio group's, to its first choice
    assert not Feedback.objects.exists()


def test_honeypot_reports_look_accepted_but_are_not_saved(client, program):
    response = client.post(page_url(program), report(website="http://spam.example"))
    assert response.status_code == 302
    assert not Feedback.objects.exists() and mail.outbox == []


def test_a_forged_thank_you_link_is_not_found(client, program):
    assert client.get(reverse("officer_feedback:thanks", args=[program.slug, "forged"])).status_code == 404


# --- Kept like every submission: saved first, retried -----------------------------------------


def test_saved_even_when_email_fails_and_retried_until_sent(client, program, settings):
    for key, value in CLOSED_SMTP.items():
        setattr(settings, key, value)
    response = client.post(page_url(program), report())
    assert response.status_code == 302
    feedback = Feedback.objects.get()
    assert feedback.notification_pending and feedback.notification_attempts == 1
    assert feedback.last_notification_error
    assert "on its way" in client.get(response["Location"]).content.decode()

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("send_pending_notifications", stdout=StringIO(), stderr=StringIO())
    assert mail.outbox == []  # not due yet
    Feedback.objects.update(next_notification_at=timezone.now())
    call_command("send_pending_notifications", stdout=StringIO(), stderr=StringIO())
    feedback.refresh_from_db()
    assert not feedback.notification_pending and feedback.next_notification_at is None
    assert [m.to for m in mail.outbox] == [["ops@county.example.org"], ["sam@example.org"]]
    call_command("send_pending_notifications", stdout=StringIO(), stderr=StringIO())
    assert len(mail.outbox) == 2  # nothing is sent twice
    assert feedback.history.count() == 1  # delivery attempts are not changes anyone made


def test_without_a_unit_yet_it_waits_and_goes_once_one_is_entered(client):
    program = ProgramFactory()
    client.post(page_url(program), report(email=""))
    feedback = Feedback.objects.get()
    assert feedback.notification_pending and mail.outbox == []
    standards_for(program.agency, email="ia@county.example.org")
    Feedback.objects.update(next_notification_at=timezone.now())
    call_command("send_pending_notifications", stdout=StringIO(), stderr=StringIO())
    assert [m.to for m in mail.outbox] == [["ia@county.example.org"]]


# --- Never silently dropped: the rate limit gives the other routes ----------------------------


def test_rate_limited_person_gets_the_phone_the_address_and_their_words(client, program, settings):
    settings.FORM_RATE_LIMIT = 1
    assert client.post(page_url(program), report(), REMOTE_ADDR="203.0.113.5").status_code == 302
    blocked = client.post(page_url(program), report(what_happened="Second <b>incident</b>"), REMOTE_ADDR="203.0.113.5")
    html = blocked.content.decode()
    assert blocked.status_code == 429 and blocked["Retry-After"] == "600"
    assert "Your report was not sent" in html
    assert 'href="tel:+16365550150"' in html  # call the unit
    assert "100 Example Street<br>St. Charles, MO 63301" in html  # or write to it
    assert "mailto:ops@county.example.org" in html
    assert "Second &lt;b&gt;incident&lt;/b&gt;" in html  # what they wrote, to copy, escaped
    assert Feedback.objects.count() == 1


# --- Query budget -----------------------------------------------------------------------------


def county(officers, districts):
    program = ProgramFactory()
    standards_for(program.agency)
    OfficerFactory.create_batch(officers, agency=program.agency)
    for partnership in PartnershipFactory.create_batch(districts, program=program):
        SchoolMattersContact.objects.create(partnership=partnership, office="Student services", phone="+16365550160")
    return program


def test_the_page_costs_the_same_queries_for_1_or_60_officers_and_districts(client, no_page_cache):
    client.get("/")  # steady state: the alert banner's list is in the cache
    counts = []
    for size in (1, 60):
        program = county(size, size)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(page_url(program)).status_code == 200
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1] <= 4  # the program, its districts with contacts, its officers, the unit


# --- The admin: the agency's professional-standards group only -------------------------------


@pytest.fixture
def two_agencies(program, officer):
    other = ProgramFactory()
    standards_for(other.agency, email="ia@other.example.org")
    return {
        "mine": Feedback.objects.create(program=program, kind="complaint", what_happened="Mine"),
        "theirs": Feedback.objects.create(program=other, kind="complaint", what_happened="Theirs"),
        "agency": program.agency,
        "other_agency": other.agency,
    }


def member_of(agency, **user_fields):
    user = UserFactory(is_staff=True, **user_fields)
    call_command("add_professional_standards", user.username, agency.slug, stdout=StringIO())
    return user


def listed(client):
    response = client.get(reverse("admin:officer_feedback_feedback_changelist"))
    return set(response.context["cl"].result_list) if response.status_code == 200 else response.status_code


def change_url(feedback):
    return reverse("admin:officer_feedback_feedback_change", args=[feedback.pk])


def test_the_agencys_professional_standards_group_sees_its_reports_only(client, two_agencies):
    user = member_of(two_agencies["agency"])
    assert user.groups.filter(name="Professional standards").exists()
    client.force_login(user)
    assert listed(client) == {two_agencies["mine"]}
    assert client.get(change_url(two_agencies["mine"])).status_code == 200
    for view in ("change", "delete", "history"):
        other = reverse(f"admin:officer_feedback_feedback_{view}", args=[two_agencies["theirs"].pk])
        assert client.get(other).status_code == 403


def test_another_agencys_group_does_not_see_them(client, two_agencies):
    client.force_login(member_of(two_agencies["other_agency"]))
    assert listed(client) == {two_agencies["theirs"]}
    assert client.get(change_url(two_agencies["mine"])).status_code == 403


def test_a_plain_editor_of_the_agency_does_not_see_them(client, two_agencies):
    editor, _, _ = make_editor("editor", two_agencies["agency"])
    client.force_login(editor)
    assert listed(client) == 403
    assert client.get(change_url(two_agencies["mine"])).status_code == 403
    index = client.get(reverse("admin:index")).content.decode()
    assert reverse("admin:officer_feedback_feedback_changelist") not in index
    assert reverse("admin:officer_feedback_schoolmatterscontact_changelist") in index  # public contacts: theirs
    # nor can they reroute them: the unit's contact is the group's to change
    contact = ProfessionalStandardsContact.objects.get(agency=two_agencies["agency"])
    url = reverse("admin:officer_feedback_professionalstandardscontact_change", args=[contact.pk])
    assert client.get(url).status_code == 403


def test_a_superuser_sees_them_all(staff_client, two_agencies):
    assert listed(staff_client) >= {two_agencies["mine"], two_agencies["theirs"]}


def test_a_member_never_sees_a_report_naming_them(client, two_agencies, officer):
    named = Feedback.objects.create(program=officer.agency.programs.get(), kind="complaint", officer=officer)
    client.force_login(member_of(two_agencies["agency"], email="Jordan@Example.org"))
    assert listed(client) == {two_agencies["mine"]}
    assert client.get(change_url(named)).status_code == 403
    history = reverse("admin:officer_feedback_feedback_history", args=[named.pk])
    assert client.get(history).status_code == 403


def test_members_handle_a_report_but_cannot_change_what_was_sent(client, two_agencies):
    client.force_login(member_of(two_agencies["agency"]))
    mine = two_agencies["mine"]
    response = client.post(
        change_url(mine), {"status": "under_review", "internal_notes": "Called back", "what_happened": "Edited"}
    )
    assert response.status_code == 302
    mine.refresh_from_db()
    assert (mine.status, mine.internal_notes, mine.what_happened) == ("under_review", "Called back", "Mine")
    assert (
        client.post(reverse("admin:officer_feedback_feedback_delete", args=[mine.pk]), {"post": "yes"}).status_code
        == 403
    )
    assert Feedback.objects.filter(pk=mine.pk).exists()


def test_members_keep_their_units_contact_only(client, two_agencies):
    client.force_login(member_of(two_agencies["agency"]))
    changelist = client.get(reverse("admin:officer_feedback_professionalstandardscontact_changelist"))
    assert {c.agency for c in changelist.context["cl"].result_list} == {two_agencies["agency"]}
    theirs = ProfessionalStandardsContact.objects.get(agency=two_agencies["other_agency"])
    url = reverse("admin:officer_feedback_professionalstandardscontact_change", args=[theirs.pk])
    assert client.post(url, {"email": "me@example.org"}).status_code == 403
    theirs.refresh_from_db()
    assert theirs.email == "ia@other.example.org"


def test_the_group_has_only_its_permissions(two_agencies):
    member_of(two_agencies["agency"])
    codenames = set(Permission.objects.filter(group__name="Professional standards").values_list("codename", flat=True))
    assert codenames == {
        "view_feedback",
        "change_feedback",
        "view_professionalstandardscontact",
        "add_professionalstandardscontact",
        "change_professionalstandardscontact",
    }


def test_memberships_are_for_superusers_to_give(client, staff_client, two_agencies):
    user = UserFactory(username="ia-officer")
    response = staff_client.post(
        reverse("admin:officer_feedback_professionalstandardsmembership_add"),
        {"user": user.pk, "agency": two_agencies["agency"].pk},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.is_staff and user.groups.filter(name="Professional standards").exists()
    client.force_login(member_of(two_agencies["agency"]))
    assert client.get(reverse("admin:officer_feedback_professionalstandardsmembership_changelist")).status_code == 403
    assert ProfessionalStandardsMembership.objects.filter(user=user).count() == 1


def test_add_professional_standards_is_idempotent_and_refuses_unknown_names(two_agencies):
    user = member_of(two_agencies["agency"])
    out = StringIO()
    call_command("add_professional_standards", user.username, two_agencies["agency"].slug, stdout=out)
    assert "was already" in out.getvalue()
    with pytest.raises(Exception, match="No agency"):
        call_command("add_professional_standards", user.username, "nowhere", stdout=StringIO())
    with pytest.raises(Exception, match="No user"):
        call_command("add_professional_standards", "nobody", two_agencies["agency"].slug, stdout=StringIO())


# --- Demo data --------------------------------------------------------------------------------


def test_demo_contacts_are_marked_examples_with_fictional_numbers(client):
    call_command("load_demo", stdout=StringIO())
    contacts = list(ProfessionalStandardsContact.objects.all()) + list(SchoolMattersContact.objects.all())
    assert len(contacts) == 5  # a unit per county; one district in St. Charles, two in Jefferson
    for contact in contacts:
        assert contact.is_example
        assert contact.phone.as_e164.startswith("+1636555")
        assert contact.email.endswith("@example.org")
    for slug, examples in (("st-charles-county", 2), ("jefferson-county", 3)):
        html = client.get(f"/programs/{slug}/compliment-or-complain/").content.decode()
        assert html.count('<span class="usa-tag">Example</span>') == examples
        assert "not the agency's real office" in html


# --- Hostile input ----------------------------------------------------------------------------

FEEDBACK_FIELDS = [
    "kind",
    "what_happened",
    "happened_on",
    "happened_time",
    "place",
    "officer_choice",
    "officer_description",
    "name",
    "email",
    "phone",
    "website",
    "unexpected_field",
]


@HYPOTHESIS
@given(values=st.dictionaries(st.sampled_from(FEEDBACK_FIELDS), FIELD_VALUE, max_size=8))
def test_the_form_survives_any_input(client, program, settings, values):
    settings.FORM_RATE_LIMIT = 10**6  # the rate limit has its own test
    before = Feedback.objects.count()
    response = client.post(page_url(program), report(**values))
    after = Feedback.objects.count()
    assert response.status_code in (200, 302), response.status_code
    if response.status_code == 302 and after > before:
        Feedback.objects.order_by("-pk").first().full_clean()  # what was stored is valid as a whole
    else:
        assert after == before


# --- Page cache -------------------------------------------------------------------------------


def test_a_change_of_either_contact_refreshes_the_pages_that_show_them(
    client, program, django_capture_on_commit_callbacks
):
    from tests.page_cache.test_page_cache import fetch, is_cached

    url = program.get_absolute_url()
    fetch(client, url)
    assert is_cached(client, url)
    with django_capture_on_commit_callbacks(execute=True):
        contact = ProfessionalStandardsContact.objects.get(agency=program.agency)
        contact.phone = "+16365550199"
        contact.save()
    assert not is_cached(client, url)
    fetch(client, url)
    with django_capture_on_commit_callbacks(execute=True):
        SchoolMattersContact.objects.get(partnership__program=program).delete()
    assert not is_cached(client, url)


def test_the_admin_index_counts_new_reports_for_the_group_only(client, two_agencies):
    editor, _, _ = make_editor("editor", two_agencies["agency"])
    client.force_login(editor)
    assert "new complaint" not in client.get(reverse("admin:index")).content.decode()
    client.force_login(member_of(two_agencies["agency"]))
    assert "<strong>1 new complaint or commendation</strong>" in client.get(reverse("admin:index")).content.decode()
