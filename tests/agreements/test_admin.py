"""Staff see the agreements due for review across their own agencies, and nobody else's."""

from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.editors import EDITORS_GROUP, refresh_editors_group
from agreements.models import Agreement
from tests.factories import AgencyFactory, AgreementFactory, UserFactory

pytestmark = pytest.mark.django_db


def due_for_review(agency, district):
    today = timezone.localdate()
    return AgreementFactory(
        partnership__program__agency=agency,
        partnership__district=district,
        effective_on=today - timedelta(days=300),
        review_on=today + timedelta(days=20),
    )


@pytest.fixture
def agreements():
    mine, theirs = AgencyFactory(name="Mine"), AgencyFactory(name="Theirs")
    return {
        "mine_due": due_for_review(mine, "My Due District"),
        "mine_current": AgreementFactory(partnership__program__agency=mine, partnership__district="My Fine District"),
        "theirs_due": due_for_review(theirs, "Their Due District"),
    }


@pytest.fixture
def editor_client(client, agreements):
    agency = agreements["mine_due"].partnership.program.agency
    call_command("add_editor", "editor", agency.slug, stdout=StringIO())
    client.force_login(get_user_model().objects.get(username="editor"))
    return client


def listed(client, query=""):
    response = client.get(reverse("admin:agreements_agreement_changelist") + query)
    assert response.status_code == 200
    return set(response.context["cl"].result_list)


def test_the_due_for_review_list_is_the_editors_agencies_only(editor_client, agreements):
    assert listed(editor_client, "?status=attention") == {agreements["mine_due"]}
    assert listed(editor_client, "?status=review_due") == {agreements["mine_due"]}
    assert listed(editor_client) == {agreements["mine_due"], agreements["mine_current"]}


def test_superusers_see_every_agencys_agreements_due_for_review(staff_client, agreements):
    assert listed(staff_client, "?status=attention") == {agreements["mine_due"], agreements["theirs_due"]}


def test_the_editors_home_lists_their_agreements_needing_attention(editor_client, agreements):
    html = editor_client.get(reverse("admin:index")).content.decode()
    link = reverse("admin:agreements_agreement_changelist") + "?attention=agreements-due"
    assert f'<a href="{link}">1 agreement with a school district is due for review or expired</a>' in html
    assert listed(editor_client, "?attention=agreements-due") == {agreements["mine_due"]}


def test_the_list_shows_each_agreements_status(editor_client, agreements):
    html = editor_client.get(reverse("admin:agreements_agreement_changelist")).content.decode()
    assert "Review due" in html and "Current" in html


def test_editors_correct_agreements_but_only_superusers_delete_them(editor_client, agreements):
    superuser = Client()
    superuser.force_login(UserFactory(is_staff=True, is_superuser=True))
    mine = agreements["mine_current"]
    delete = reverse("admin:agreements_agreement_delete", args=[mine.pk])
    assert editor_client.post(delete, {"post": "yes"}).status_code == 403
    assert Agreement.objects.filter(pk=mine.pk).exists()
    assert superuser.post(delete, {"post": "yes"}).status_code == 302
    assert not Agreement.objects.filter(pk=mine.pk).exists()


def test_agreements_are_added_on_the_partnerships_page(editor_client, agreements):
    partnership = agreements["mine_current"].partnership
    html = editor_client.get(reverse("admin:programs_partnership_change", args=[partnership.pk])).content.decode()
    assert "agreements-TOTAL_FORMS" in html
    assert "the old one stays public" in html


def test_the_reminders_sent_are_shown_on_the_agreement_read_only(editor_client, agreements):
    agreement = agreements["mine_due"]
    agreement.reminders.create(kind="final", due_on=agreement.review_on, sent_at=timezone.now())
    response = editor_client.get(reverse("admin:agreements_agreement_change", args=[agreement.pk]))
    formset = response.context["inline_admin_formsets"][0]
    assert formset.formset.prefix == "reminders"
    assert not formset.has_add_permission and not formset.has_change_permission


def test_editors_invited_before_a_deploy_get_the_new_models_permissions_at_migrate():
    group = Group.objects.create(name=EDITORS_GROUP)
    refresh_editors_group()
    codenames = set(group.permissions.values_list("codename", flat=True))
    assert {"view_agreement", "change_agreement", "add_officertraining", "view_course"} <= codenames
    assert "delete_agreement" not in codenames and "change_course" not in codenames
