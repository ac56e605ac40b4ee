"""Editors post updates for their own agency's programs; they see how many subscribe, never who."""

from io import StringIO

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.management import call_command

from tests.factories import AgreementFactory, FigureSetFactory, ProgramFactory, SubscriptionFactory, UpdateFactory
from updates.models import Subscriber, Subscription, Update

pytestmark = pytest.mark.django_db


@pytest.fixture
def program():
    return ProgramFactory()


@pytest.fixture
def editor(client, program):
    call_command("add_editor", "editor", program.agency.slug, stdout=StringIO())
    client.force_login(get_user_model().objects.get(username="editor"))
    return client


def form_data(program, **values):
    return {
        "program": program.pk,
        "title_en": "Coffee with the SROs",
        "title_es": "Café con los oficiales de recursos escolares",
        "text_en": "Come and meet the officers.",
        "text_es": "",
        "date": "2026-03-02",
        "status": "published",
        "event_start_0": "2026-03-10",
        "event_start_1": "18:00",
        "event_end_0": "2026-03-10",
        "event_end_1": "19:30",
        "event_place_en": "Central High School library",
        "event_place_es": "",
        "event_is_public": "on",
        "about_record": "",
        **values,
    }


def test_an_editor_posts_an_update_with_an_event(editor, program):
    response = editor.post("/admin/updates/update/add/", form_data(program))
    assert response.status_code == 302, response.content.decode()[:3000]
    update = Update.objects.get()
    assert (update.title_en, update.title_es, update.is_event, update.is_published) == (
        "Coffee with the SROs",
        "Café con los oficiales de recursos escolares",
        True,
        True,
    )
    assert update.published_at is not None
    assert update.history.first().history_user.username == "editor"


def test_an_event_that_ends_before_it_starts_is_refused(editor, program):
    response = editor.post("/admin/updates/update/add/", form_data(program, event_end_1="17:00"))
    assert response.status_code == 200
    assert "An event ends after it starts" in response.content.decode()
    assert not Update.objects.exists()


def test_an_update_may_be_about_the_programs_agreement_or_figures(editor, program):
    agreement = AgreementFactory(partnership__program=program)
    figures = FigureSetFactory(program=program)
    others = FigureSetFactory()
    page = editor.get("/admin/updates/update/add/").content.decode()
    assert "Yearly figures" in page and "Agreement with" in page
    assert f':{others.pk}"' not in page.replace(f':{figures.pk}"', "")
    value = f"agreements.agreement:{agreement.pk}"
    assert editor.post("/admin/updates/update/add/", form_data(program, about_record=value)).status_code == 302
    assert Update.objects.get().about == agreement


def test_staff_see_how_many_subscribe_but_never_who(editor, program):
    SubscriptionFactory(program=program, subscriber__email="someone@example.org")
    SubscriptionFactory(program=None, state=program.agency.state)  # the state's subscribers get it too
    SubscriptionFactory(program=program, confirmed_at=None)  # not confirmed: not counted
    update = UpdateFactory(program=program)
    page = editor.get(f"/admin/updates/update/{update.pk}/change/").content.decode()
    assert "2 addresses get this program&#x27;s updates by email." in page
    assert "someone@example.org" not in page
    assert Subscriber not in admin.site._registry and Subscription not in admin.site._registry


def test_adding_figures_or_an_agreement_offers_a_prefilled_update(editor, program):
    from program_data.models import FigureSet
    from updates.offers import OfferUpdateMixin, prefilled_update_url

    assert isinstance(admin.site._registry[FigureSet], OfferUpdateMixin)
    figures = FigureSetFactory(program=program, school_year=2025)
    form = editor.get(prefilled_update_url(figures)).content.decode()
    assert 'value="New yearly figures: 2025–26"' in form
    assert 'value="Nuevas cifras anuales: 2025–26"' in form
    assert f'<option value="{program.pk}" selected>' in form
    assert "selected>Yearly figures 2025–26</option>" in form
