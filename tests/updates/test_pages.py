"""The public side of updates: the program page's latest few, the updates pages of a program,
a state and the site, each update's page, Atom feeds and iCalendar files, in both languages,
cached and invalidated by tags so a published update shows at once."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from icalendar import Calendar

from tests.factories import EducationTopicFactory, ProgramFactory, SchoolFactory, UpdateFactory, UserFactory
from updates.models import Update

pytestmark = pytest.mark.django_db


@pytest.fixture
def program():
    return ProgramFactory(slug="jefferson-county")


def event(program, **values):
    start = (timezone.now() + timedelta(days=5)).replace(microsecond=0)
    values = {"title": "Coffee with the SROs", "event_place": "Central High School library", **values}
    return UpdateFactory(program=program, event_start=start, event_end=start + timedelta(hours=2), **values)


def test_the_program_page_shows_the_latest_three_updates_newest_first(client, program):
    for day in range(1, 6):
        UpdateFactory(program=program, title=f"News of day {day}", date=date(2026, 3, day))
    html = client.get("/programs/jefferson-county/").content.decode()
    shown = [f"News of day {day}" for day in range(1, 6) if f"News of day {day}" in html]
    assert shown == ["News of day 3", "News of day 4", "News of day 5"]
    assert html.index("News of day 5") < html.index("News of day 4")
    assert '<a href="/programs/jefferson-county/updates/">All updates from' in html
    assert '<a href="#news">News and events</a>' in html


def test_a_draft_update_is_hidden_from_the_public_everywhere(client, program):
    draft = UpdateFactory(program=program, title="Not yet", status=Update.Status.DRAFT)
    for path in [
        "/programs/jefferson-county/",
        "/programs/jefferson-county/updates/",
        "/updates/",
        "/states/mo/updates/",
    ]:
        assert "Not yet" not in client.get(path).content.decode()
    assert "Not yet" not in client.get("/programs/jefferson-county/updates/feed/").content.decode()
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_the_programs_editor_previews_a_draft_update(client, program):
    draft = UpdateFactory(program=program, title="Not yet", status=Update.Status.DRAFT)
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    assert "Draft preview" in client.get(draft.get_absolute_url()).content.decode()


def test_publishing_shows_the_update_at_once_on_cached_pages(client, program, django_capture_on_commit_callbacks):
    draft = UpdateFactory(program=program, title="Renewed agreement", status=Update.Status.DRAFT)
    paths = ["/programs/jefferson-county/", "/programs/jefferson-county/updates/", "/updates/", "/states/mo/updates/"]
    paths += ["/es" + p for p in paths] + ["/programs/jefferson-county/updates/feed/", "/es/updates/feed/"]
    for path in paths:
        client.get(path)  # cached now
    assert client.get(paths[0]).headers["X-Page-Cache"] == "hit"
    draft.status = Update.Status.PUBLISHED
    with django_capture_on_commit_callbacks(execute=True):
        draft.save()
    for path in paths:
        assert "Renewed agreement" in client.get(path).content.decode(), path


def test_an_update_in_spanish_and_the_english_marked_where_there_is_none(client, program):
    UpdateFactory(program=program, title_en="Safety night", title_es="Noche de seguridad", text_en="Come.")
    UpdateFactory(program=program, title_en="Only in English", text_en="Text.")
    html = client.get("/es/programs/jefferson-county/updates/").content.decode()
    assert "Noche de seguridad" in html and "Safety night" not in html
    assert 'lang="en">Only in English</a>' in html
    assert "solo está disponible en inglés" in html


def test_the_updates_pages_are_paged(client, program):
    Update.objects.bulk_create(
        [
            Update(
                program=program,
                title=f"Item {n}",
                slug=f"item-{n}",
                text="x",
                status="published",
                date=date(2026, 1, 1),
            )
            for n in range(25)
        ]
    )
    first = client.get("/programs/jefferson-county/updates/").content.decode()
    assert "page 1 of 2" in first and first.count('class="update-item') == 20
    assert client.get("/programs/jefferson-county/updates/?page=2").content.decode().count('class="update-item') == 5
    assert client.get("/programs/jefferson-county/updates/?page=3").status_code == 404


def test_the_state_and_site_pages_list_updates_of_every_program(client, program):
    UpdateFactory(program=program, title="From Jefferson")
    UpdateFactory(title="From elsewhere in Missouri")
    UpdateFactory(program__agency__state__code="KS", program__agency__state__name="Kansas", title="From Kansas")
    state = client.get("/states/mo/updates/").content.decode()
    assert "From Jefferson" in state and "From elsewhere in Missouri" in state and "From Kansas" not in state
    assert "From Kansas" in client.get("/updates/").content.decode()


def test_each_page_announces_its_atom_feed(client, program):
    UpdateFactory(program=program)
    for page, feed in [
        ("/programs/jefferson-county/", "/programs/jefferson-county/updates/feed/"),
        ("/programs/jefferson-county/updates/", "/programs/jefferson-county/updates/feed/"),
        ("/states/mo/", "/states/mo/updates/feed/"),
        ("/states/mo/updates/", "/states/mo/updates/feed/"),
        ("/updates/", "/updates/feed/"),
        ("/es/programs/jefferson-county/", "/es/programs/jefferson-county/updates/feed/"),
    ]:
        html = client.get(page).content.decode()
        assert '<link rel="alternate" type="application/atom+xml" title="' in html
        assert f'href="{feed}">' in html, page
        assert client.get(feed)["Content-Type"].startswith("application/atom+xml")


def test_the_atom_feeds_are_in_the_language_of_their_address(client, program):
    UpdateFactory(program=program, title_en="Safety night", title_es="Noche de seguridad")
    english = client.get("/programs/jefferson-county/updates/feed/").content.decode()
    spanish = client.get("/es/programs/jefferson-county/updates/feed/").content.decode()
    assert 'xml:lang="en"' in english and "<title>Safety night</title>" in english
    assert 'xml:lang="es"' in spanish and "<title>Noche de seguridad</title>" in spanish
    assert "http://testserver/es/programs/jefferson-county/updates/" in spanish


def test_an_event_has_its_page_and_an_add_to_calendar_file(client, program):
    update = event(program, event_is_public=False)
    html = client.get(update.get_absolute_url()).content.decode()
    assert "Central High School library" in html and "Not open to the public." in html
    response = client.get(f"/programs/jefferson-county/updates/{update.slug}/event.ics")
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    [vevent] = Calendar.from_ical(response.content).walk("VEVENT")
    assert str(vevent["SUMMARY"]) == "Coffee with the SROs"
    assert vevent.decoded("DTSTART") == update.event_start
    assert vevent.decoded("DTEND") == update.event_end
    assert str(vevent["LOCATION"]) == "Central High School library"
    assert str(vevent["URL"]).endswith(update.get_absolute_url())


def test_news_that_is_no_event_has_no_calendar_file(client, program):
    update = UpdateFactory(program=program)
    assert client.get(f"/programs/jefferson-county/updates/{update.slug}/event.ics").status_code == 404


def test_the_programs_calendar_lists_its_events_only(client, program):
    event(program)
    UpdateFactory(program=program, title="Plain news")
    event(ProgramFactory(), title="Another program's event")
    calendar = Calendar.from_ical(client.get("/programs/jefferson-county/updates/events.ics").content)
    assert [str(e["SUMMARY"]) for e in calendar.walk("VEVENT")] == ["Coffee with the SROs"]


def test_an_update_links_to_what_it_is_about(client, program):
    school = SchoolFactory(agency=program.agency, name="Central High School")
    topic = EducationTopicFactory(name="Internet safety")
    update = UpdateFactory(program=program, school=school, topic=topic)
    html = client.get(update.get_absolute_url()).content.decode()
    assert f'href="{school.get_absolute_url()}">Central High School' in html
    assert f'href="{topic.get_absolute_url()}"' in html


@pytest.mark.parametrize("language", ["", "/es"])
@pytest.mark.parametrize(
    "path", ["/programs/jefferson-county/updates/", "/states/mo/updates/", "/updates/", "/updates/feed/"]
)
def test_update_lists_cost_the_same_queries_for_two_updates_or_twenty(client, program, no_page_cache, path, language):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(language + path).status_code == 200
        return len(captured)

    UpdateFactory.create_batch(2, program=program)
    queries()  # the alert banner's list is read once, then kept (programs/alerts.py)
    few = queries()
    UpdateFactory.create_batch(18, program=program, school=SchoolFactory(agency=program.agency))
    assert queries() == few <= 3


def test_an_updates_address_is_made_from_its_title_and_never_taken_twice(client, program):
    first = UpdateFactory(program=program, title="Safety night")
    second = UpdateFactory(program=program, title="Safety night")
    feed = UpdateFactory(program=program, title="Feed")
    assert (first.slug, second.slug, feed.slug) == ("safety-night", "safety-night-2", "feed-update")
    assert first.get_absolute_url() == "/programs/jefferson-county/updates/safety-night/"
    assert client.get(second.get_absolute_url()).status_code == 200
    assert client.get("/programs/jefferson-county/updates/feed/")["Content-Type"].startswith("application/atom+xml")


def test_an_update_about_figures_or_an_agreement_links_to_them(client, program):
    from tests.factories import AgreementFactory, FigureSetFactory

    figures = FigureSetFactory(program=program, school_year=2025)
    agreement = AgreementFactory(partnership__program=program, partnership__district="Example R-1 School District")
    on_figures = UpdateFactory(program=program, about_model="program_data.figureset", about_id=figures.pk)
    on_agreement = UpdateFactory(program=program, about_model="agreements.agreement", about_id=agreement.pk)
    gone = UpdateFactory(program=program, about_model="no_such_app.model", about_id=1)
    assert (
        f'href="{figures.get_absolute_url()}">Yearly figures 2025–26</a>'
        in client.get(on_figures.get_absolute_url()).content.decode()
    )
    assert 'href="/programs/jefferson-county/agreements/">The agreement with Example R-1 School District</a>' in (
        client.get(on_agreement.get_absolute_url()).content.decode()
    )
    assert client.get(gone.get_absolute_url()).status_code == 200  # an app no longer installed: no link
