"""The program page's read model: one document per program, never stale, never mixing old and new data."""

import re

import pytest
from django.core.management import call_command
from django.http import Http404

from programs import program_pages
from programs.models import Program, ProgramPage, current_school_year
from tests.factories import AssignmentFactory, EducationTopicFactory, GoalFactory, OfficerFactory, ProgramFactory
from tests.page_cache.test_page_cache import CHANGES, site  # noqa: F401 (the fixture, shared)

pytestmark = pytest.mark.django_db


def html(client, program):
    response = client.get(program.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def is_stale(program):
    return ProgramPage.objects.get(pk=program.pk).data is None


# Changes to what every page shows around the document, read at render time.
NOT_IN_DOCUMENTS = {"sitewide alert posted"}


@pytest.mark.parametrize("change", CHANGES, ids=list(CHANGES))
def test_a_change_marks_stale_exactly_the_documents_that_show_it_and_the_page_shows_it(
    client,
    settings,
    site,  # noqa: F811 (the imported fixture)
    django_capture_on_commit_callbacks,
    change,
):
    settings.PAGE_CACHE = False  # after the fixture, which checks that pages get cached
    make_change, pages_showing_it = CHANGES[change]
    programs = {"program": site["program"], "other_program": site["other"]}
    for program in programs.values():
        html(client, program)
        assert not is_stale(program)
    with django_capture_on_commit_callbacks(execute=True):
        make_change(site)
    for name, program in programs.items():
        assert is_stale(program) == (name in pages_showing_it and change not in NOT_IN_DOCUMENTS), name
        served = html(client, program)
        ProgramPage.objects.filter(pk=program.pk).delete()
        assert served == html(client, program), f"{name}: the served page differs from one built afresh"


def test_a_document_read_before_a_change_is_not_kept(client, no_page_cache, monkeypatch):
    program = ProgramFactory()
    build = program_pages.document

    def build_then_change(p, today):
        data = build(p, today)
        GoalFactory(program=program, title="Goal saved during the rebuild")
        return data

    monkeypatch.setattr(program_pages, "document", build_then_change)
    assert "Goal saved during the rebuild" not in html(client, program)
    assert is_stale(program)  # the rebuild saw the old data: it was served once, not kept
    monkeypatch.undo()
    assert "Goal saved during the rebuild" in html(client, program)
    assert not is_stale(program)


def test_july_1_rebuilds_the_page_with_the_new_school_years_officers(client, no_page_cache, monkeypatch):
    program = ProgramFactory()
    next_year = current_school_year() + 1
    AssignmentFactory(officer__agency=program.agency, school__name="Rollover High", school_year=next_year)
    serves = re.compile(r'Serves <a href="[^"]+">Rollover High</a>')
    assert not serves.search(html(client, program))
    monkeypatch.setattr(program_pages, "current_school_year", lambda: next_year)
    assert serves.search(html(client, program))
    assert ProgramPage.objects.get(pk=program.pk).school_year == next_year


def test_a_document_of_an_older_format_is_rebuilt(client, no_page_cache, monkeypatch):
    program = ProgramFactory()
    html(client, program)
    newer = program_pages.FORMAT + 1
    monkeypatch.setattr(program_pages, "FORMAT", newer)
    html(client, program)
    assert ProgramPage.objects.get(pk=program.pk).data["format"] == newer


def test_migrate_marks_every_document_stale(client, no_page_cache):
    """A deploy runs migrate; its new code or settings may change what documents hold."""
    programs = ProgramFactory.create_batch(2)
    for program in programs:
        html(client, program)
    call_command("migrate", verbosity=0)
    assert all(is_stale(program) for program in programs)


def test_once_built_a_page_is_read_in_one_query(client, no_page_cache, django_assert_num_queries):
    program = ProgramFactory()
    OfficerFactory.create_batch(3, agency=program.agency)
    first = html(client, program)
    with django_assert_num_queries(1):
        assert html(client, program) == first


def test_a_drafts_document_is_never_shown_to_the_public(client, staff_client, no_page_cache):
    draft = ProgramFactory(status="draft", summary="Not public yet.")
    assert "Not public yet." in html(staff_client, draft)  # built for the staff preview
    client.logout()
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_deleting_a_topic_takes_it_off_the_pages_that_taught_it(client, no_page_cache):
    program = ProgramFactory()
    topic = EducationTopicFactory(name="Bicycle safety")
    program.topics.add(topic)
    assert "Bicycle safety" in html(client, program)
    topic.delete()  # its links to programs go with it, before any post_delete handler runs
    assert is_stale(program)
    assert "Bicycle safety" not in html(client, program)


def test_the_publics_query_finds_exactly_what_the_published_queryset_finds(no_page_cache):
    published, draft = ProgramFactory(), ProgramFactory(status="draft")
    assert program_pages.published_page_for(published.slug) == program_pages.page_for(
        Program.objects.published(), published.slug
    )
    assert program_pages.published_page_for(published.slug)["program"]["pk"] == published.pk
    for slug in (draft.slug, "no-such-program"):
        with pytest.raises(Http404):
            program_pages.published_page_for(slug)
