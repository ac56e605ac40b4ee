"""The school search (programs/search.py): ranked, forgiving, filtered, and served by indexes on either database."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import given
from hypothesis import strategies as st

from programs import search
from programs.models import Agency, Program, School, SearchWord
from programs.search import corrected_words, matching, search_schools, words_of
from tests.factories import ProgramFactory, SchoolFactory, StateFactory, synthetic_schools
from tests.inbox.test_forms_hypothesis import HOSTILE_TEXT, HYPOTHESIS

pytestmark = pytest.mark.django_db

on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")
on_sqlite = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite only")


def names(text, schools=None):
    return [school.name for school in search_schools(schools or School.objects.all(), text)]


@pytest.fixture
def agency():
    return ProgramFactory(agency__county="Jefferson").agency


def test_st_charles_high_finds_st_charles_high_school_first(agency):
    for name, city in [
        ("St. Charles West High School", "St. Charles"),
        ("St. Charles Junior High School", "St. Charles"),
        ("Charleston High School", "Charleston"),
        ("Lincoln High School", "St. Charles"),
        ("St. Charles High School", "Festus"),
        ("Hillsboro High School", "Hillsboro"),
    ]:
        SchoolFactory(agency=agency, name=name, city=city)
    found = names("st charles high")
    assert found[0] == "St. Charles High School"
    assert "Hillsboro High School" not in found


def test_a_misspelling_finds_the_school(agency):
    SchoolFactory(agency=agency, name="Hillsboro High School", city="Hillsboro")
    SchoolFactory(agency=agency, name="Meadowbrook Academy", city="Festus")
    assert names("hillsbro") == ["Hillsboro High School"]
    assert names("hillsbro high") == ["Hillsboro High School"]


def test_part_of_a_word_is_enough(agency):
    SchoolFactory(agency=agency, name="Hillsboro High School")
    assert names("hillsb") == ["Hillsboro High School"]


def test_city_names_are_searchable(agency):
    SchoolFactory(agency=agency, name="Arnold Elementary", city="Arnold")
    SchoolFactory(agency=agency, name="Fox Middle School", city="Arnold")
    SchoolFactory(agency=agency, name="Festus Elementary", city="Festus")
    assert names("arnold") == ["Arnold Elementary", "Fox Middle School"]  # the name counts more than the city


def test_district_names_are_searchable(agency):
    SchoolFactory(agency=agency, name="Ridgewood Middle School", district="Fox C-6")
    SchoolFactory(agency=agency, name="Seckman High School", district="Fox C-6")
    SchoolFactory(agency=agency, name="Festus Elementary", district="Festus R-VI")
    assert sorted(names("fox c-6")) == ["Ridgewood Middle School", "Seckman High School"]


def test_every_word_typed_must_match(agency):
    SchoolFactory(agency=agency, name="Hillsboro High School")
    SchoolFactory(agency=agency, name="Hillsboro Elementary School")
    assert names("hillsboro elementary") == ["Hillsboro Elementary School"]


def test_case_and_punctuation_do_not_matter(agency):
    SchoolFactory(agency=agency, name="St. Charles High School", city="O'Fallon")
    assert names("ST CHARLES") == ["St. Charles High School"]
    assert names("o'fallon") == ["St. Charles High School"]


def test_accents_are_ignored_where_the_database_can(agency):
    if connection.vendor == "sqlite" and connection.Database.sqlite_version_info < (3, 45):
        pytest.skip("SQLite before 3.45 matches accents as typed (see programs/search.py)")
    SchoolFactory(agency=agency, name="Española Valley High School", city="Española")
    assert names("espanola valley") == ["Española Valley High School"]
    assert names("española valley") == ["Española Valley High School"]


def test_a_query_without_letters_or_digits_finds_nothing(agency):
    SchoolFactory(agency=agency, name="Hillsboro High School")
    assert names("!!") == []


def test_short_words_are_searched_too(agency):
    SchoolFactory(agency=agency, name="PS 12", city="Hillsboro")
    SchoolFactory(agency=agency, name="PS 13", city="Hillsboro")
    assert names("ps 12") == ["PS 12"]


def test_nothing_similar_finds_nothing(agency):
    SchoolFactory(agency=agency, name="Hillsboro High School", city="Hillsboro")
    assert names("atlantis") == []


def test_search_is_narrowed_by_state_and_county():
    kansas = StateFactory(code="KS", name="Kansas")
    jefferson_mo = ProgramFactory(agency__county="Jefferson").agency
    franklin_mo = ProgramFactory(agency__county="Franklin").agency
    jefferson_ks = ProgramFactory(agency__county="Jefferson", agency__state=kansas).agency
    for agency in (jefferson_mo, franklin_mo, jefferson_ks):
        SchoolFactory(agency=agency, name=f"Central High School ({agency.county}, {agency.state.code})")
    schools = School.objects.public()
    assert len(names("central", schools)) == 3
    assert names("central", schools.in_area("mo", "")) == [
        "Central High School (Franklin, MO)",
        "Central High School (Jefferson, MO)",
    ]
    assert names("central", schools.in_area("", "jefferson")) == [
        "Central High School (Jefferson, KS)",
        "Central High School (Jefferson, MO)",
    ]
    assert names("central", schools.in_area("ks", "Jefferson")) == ["Central High School (Jefferson, KS)"]


def test_the_index_follows_new_renamed_and_deleted_schools(agency):
    school = SchoolFactory(agency=agency, name="Hillsboro High School", city="Festus")
    school.name = "Seckman High School"
    school.save()
    assert names("hillsboro") == []
    assert names("seckman") == ["Seckman High School"]
    School.objects.filter(pk=school.pk).update(city="Imperial")
    assert names("imperial") == ["Seckman High School"]
    school.delete()
    assert names("seckman") == []


@on_sqlite
def test_sqlite_search_index_and_its_triggers_exist_after_every_migration():
    """A migration that makes SQLite rebuild programs_school drops the triggers: it must create them again."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT type, name FROM sqlite_master WHERE name LIKE 'programs_school_search%'")
        objects = set(cursor.fetchall())
    assert ("table", "programs_school_search") in objects
    for trigger in ("insert", "delete", "update"):
        assert ("trigger", f"programs_school_search_{trigger}") in objects


def bulk_schools(count):
    """`count` synthetic schools over 20 published county programs: a dataset with realistic name frequencies."""
    state = StateFactory()
    agencies = Agency.objects.bulk_create(
        Agency(name=f"County {n} Sheriff", slug=f"county-{n}", county=f"County{n}", kind="sheriff", state=state)
        for n in range(20)
    )
    Program.objects.bulk_create(
        Program(agency=a, name="SRO Program", slug=a.slug, summary=".", overview=".", contact_phone="+16365550100")
        for a in agencies
    )
    Program.objects.update(status=Program.Status.PUBLISHED)
    School.objects.bulk_create(synthetic_schools(count, agencies), batch_size=2000)
    School.objects.bulk_create(
        [
            School(agency=agencies[0], name="St. Charles High School", slug="st-charles-high", city="St. Charles"),
            School(agency=agencies[1], name="Hillsboro High School", slug="hillsboro-high", city="Hillsboro"),
            School(agency=agencies[2], name="Lincoln Elementary School", slug="lincoln-elementary", city="Festus"),
            School(agency=agencies[3], name="Española Academy", slug="espanola-academy", city="Española"),
        ]
    )
    search.refresh_search_words()  # as the bulk loaders do


QUERIES = ["st charles high", "hillsbro", "hillsboro high", "lincoln elem"]


@on_postgresql
@pytest.mark.parametrize("text", [*QUERIES, "espanola"])
def test_postgresql_search_reads_indexes_not_the_school_table(text):
    """The plan of the search page's query, on 6,000 schools with realistic name frequencies.

    What it proves: with the statistics of a table this size, the planner
    serves each query (full-text and typo steps alike) from migration 0012's
    GIN indexes, which exist and match the expressions the search uses. What
    it does not: the plan for a query most schools match ("high"), where
    reading the table is the planner's cheaper choice and the right one; nor
    the plan right after a bulk load, before autovacuum has merged the GIN
    indexes' pending lists (done here by hand, then ANALYZE, as autovacuum
    would), when the planner rightly prices the indexes higher.
    """
    bulk_schools(6000)
    with connection.cursor() as cursor:
        cursor.execute("SELECT gin_clean_pending_list('programs_school_search_fts'::regclass)")
        cursor.execute("SELECT gin_clean_pending_list('programs_school_name_trgm'::regclass)")
        cursor.execute("ANALYZE programs_school, programs_agency, programs_program")
    schools = matching(School.objects.public(), " ".join(corrected_words(words_of(text))))
    plan = schools.explain()
    assert schools.count() >= 1
    assert "Seq Scan on programs_school" not in plan, plan
    assert "programs_school_search_fts" in plan, plan


@on_sqlite
@pytest.mark.parametrize("text", QUERIES)
def test_sqlite_search_reads_the_full_text_index_not_the_school_table(text):
    """The plan on SQLite: the FTS5 table finds the rows, programs_school is read by primary key only."""
    bulk_schools(2000)
    schools = matching(School.objects.public(), " ".join(corrected_words(words_of(text))))
    plan = schools.explain()
    assert schools.count() >= 1
    assert "VIRTUAL TABLE INDEX" in plan, plan
    assert "SCAN programs_school\n" not in plan + "\n" and "SCAN programs_school " not in plan, plan


def test_results_are_the_same_whatever_the_page_size(agency):
    """Ties are broken by name, then id: pages never repeat or skip a school."""
    for n in range(30):
        SchoolFactory(agency=agency, name="Lincoln Elementary School", slug=f"lincoln-{n}")
    found = search_schools(School.objects.all(), "lincoln")
    assert [s.pk for s in found[:10]] + [s.pk for s in found[10:30]] == [s.pk for s in found]


@HYPOTHESIS
@given(q=HOSTILE_TEXT, state=st.one_of(st.just("mo"), HOSTILE_TEXT), county=HOSTILE_TEXT, page=HOSTILE_TEXT)
def test_any_input_gets_a_page_never_a_server_error(client, agency, q, state, county, page):
    """Quotes, backslashes, tsquery and FTS5 syntax, NUL, anything: a results page, an error message or a 404."""
    SchoolFactory(agency=agency, name="St. Charles High School", district="Fox C-6")
    response = client.get("/schools/", {"q": q, "state": state, "county": county, "page": page})
    assert response.status_code in (200, 404)


@pytest.mark.parametrize("text", ["'", "\\", "it's", "a:*b", "x & y | !z", "(<->)", '"quoted"', "NEAR(a b)", "c-6"])
def test_query_syntax_typed_is_searched_as_text(agency, text):
    SchoolFactory(agency=agency, name="Fox C-6 High School")
    names(text)  # no error
    assert names("c-6") == ["Fox C-6 High School"]


def test_a_word_most_schools_have_reads_a_bounded_number_and_says_there_are_more(agency, monkeypatch):
    monkeypatch.setattr(search, "CANDIDATES", 5)
    for n in range(8):
        SchoolFactory(agency=agency, name=f"Lincoln Elementary {n}", city="Festus", slug=f"lincoln-{n}")
    SchoolFactory(agency=agency, name="Festus High School", city="Lincoln")
    SchoolFactory(agency=agency, name="Arnold Lincoln Academy", city="Arnold")
    found = search_schools(School.objects.all(), "lincoln")
    assert found.more
    assert len(found) == 5
    # Schools named for the word come before those only in a town of that name.
    assert "Festus High School" not in [school.name for school in found]


def test_a_word_every_school_read_has_in_its_name_reads_the_schools_once(agency, monkeypatch):
    """When every school read has each word in its name, they are the named tier already: no second query."""
    monkeypatch.setattr(search, "CANDIDATES", 5)
    for n in range(8):
        SchoolFactory(agency=agency, name=f"Lincoln Elementary {n}", city="Festus", slug=f"lincoln-{n}")
    with CaptureQueriesContext(connection) as queries:
        found = search_schools(School.objects.all(), "lincoln")
    assert found.more and len(found.ids) == 5
    assert len([q for q in queries if "programs_school" in q["sql"]]) == 1, [q["sql"] for q in queries]


def test_a_school_read_only_through_its_town_makes_the_search_ask_for_the_named_ones(agency, monkeypatch):
    """In whatever order the index gives the rows, a town-only school read sends the search back for the named ones.

    Fewer schools are named for the word than the first query reads, so that
    query reads at least one school only in a town of that name, on any
    database and in any physical order of the rows (PostgreSQL reuses the
    space rolled-back tests leave, so insertion order is no guide).
    """
    monkeypatch.setattr(search, "CANDIDATES", 5)
    named = {f"Lincoln Elementary {n}" for n in range(4)}
    for n, name in enumerate(sorted(named)):
        SchoolFactory(agency=agency, name=name, city="Festus", slug=f"lincoln-{n}")
    for n in range(4):
        SchoolFactory(agency=agency, name=f"Festus High School {n}", city="Lincoln", slug=f"festus-{n}")
    with CaptureQueriesContext(connection) as queries:
        found = search_schools(School.objects.all(), "lincoln")
    assert found.more
    assert len([q for q in queries if "programs_school" in q["sql"]]) == 2, [q["sql"] for q in queries]
    # Every school named for the word, first; then the town-only ones the first query read.
    assert {school.name for school in found[:4]} == named


@on_postgresql
def test_postgresql_writes_out_the_words_a_prefix_starts(agency):
    """'charles' becomes ('charles' | 'charleston'): the same schools, found without gathering every prefix."""
    SchoolFactory(agency=agency, name="St. Charles High School")
    SchoolFactory(agency=agency, name="Charleston Academy", city="Festus")
    SchoolFactory(agency=agency, name="Festus Elementary", city="Festus")
    starts = search.word_starts("St. Charles fes")
    assert starts == {"charles": ["charles", "charleston"], "fes": ["festus"]}  # 'st': too short to ask
    assert search._tsquery("St. Charles fes", starts) == "'St.':* & ('charles' | 'charleston') & ('festus')"
    assert sorted(names("charles")) == ["Charleston Academy", "St. Charles High School"]
    assert names("charles fes") == ["Charleston Academy"]


@on_postgresql
@pytest.mark.parametrize(
    ("typed", "name"),
    [
        ("charles", "Charles2 Academy"),  # letters and digits: one word to PostgreSQL
        ("lod", "Łódź Academy"),  # a letter unaccent rewrites but Unicode does not decompose
        ("pneumono", "Pneumonoultramicroscopicsilicovolcanoconiosis Academy"),  # longer than 30
    ],
)
def test_written_out_prefixes_find_every_school_the_prefix_would(agency, typed, name):
    SchoolFactory(agency=agency, name=name)
    SchoolFactory(agency=agency, name="Lodge Charleston Academy")  # another word the prefix starts
    assert name in names(typed)
    assert search.word_starts(typed), "written out, not searched as a prefix"


@on_postgresql
def test_postgresql_keeps_a_prefix_the_vocabulary_cannot_write_out(agency, monkeypatch):
    SchoolFactory(agency=agency, name="St. Charles High School")
    SchoolFactory(agency=agency, name="Charleston Academy")
    # Written out, a prefix of many words would be a long query: past the limit it stays a prefix.
    monkeypatch.setattr(search, "WORDS_WRITTEN_OUT", 1)
    assert search.word_starts("charles") == {}
    assert sorted(names("charles")) == ["Charleston Academy", "St. Charles High School"]
    # A word the vocabulary does not hold (digits, or not counted yet) is searched as a prefix.
    School.objects.bulk_create([School(agency=agency, name="Zebulon Academy 2024", slug="zebulon")])
    assert search.word_starts("zebu 202") == {}
    assert names("zebu 202") == ["Zebulon Academy 2024"]


@on_postgresql
def test_spelling_help_reuses_what_the_search_asked_the_vocabulary(agency, django_assert_num_queries):
    SchoolFactory(agency=agency, name="Hillsboro Middle School", city="Hillsboro")
    starts = search.vocabulary_starts("hillsbro midle 42")
    assert starts == {"hillsbro": [], "midle": []}  # asked, and starting no word ('42': not a word of letters)
    with django_assert_num_queries(1):  # only the words one letter away
        assert corrected_words(["hillsbro", "midle", "42"], starts=starts) == ["hillsboro", "middle", "42"]
    starts = search.vocabulary_starts("hillsboro")
    with django_assert_num_queries(0):
        assert corrected_words(["hillsboro"], starts=starts) == ["hillsboro"]
    assert names("hillsbro midle") == ["Hillsboro Middle School"]


def test_the_results_page_says_when_more_schools_match_than_it_lists(client, agency, monkeypatch):
    monkeypatch.setattr(search, "CANDIDATES", 3)
    for n in range(4):
        SchoolFactory(agency=agency, name=f"Lincoln Elementary {n}", slug=f"lincoln-{n}")
    html = client.get("/schools/", {"q": "lincoln"}).content.decode()
    assert "More than 3 schools found" in html
    assert "add a word of its name or its city, or choose a state and county" in html


def test_spelling_help_says_what_it_searched_for(client, agency):
    SchoolFactory(agency=agency, name="Hillsboro High School", city="Hillsboro")
    found = search_schools(School.objects.all(), "hillsbro hihg")
    assert [school.name for school in found] == ["Hillsboro High School"]
    assert found.searched_for == "hillsboro high"
    html = client.get("/schools/", {"q": "hillsbro hihg"}).content.decode()
    assert "schools matching “hillsboro high”, the nearest spelling" in html


def test_spelling_help_never_drops_a_word_it_cannot_place(agency):
    SchoolFactory(agency=agency, name="Hillsboro High School", city="Hillsboro")
    assert names("atlantis high") == []
    assert names("hillsboro 12345") == []


def test_the_vocabulary_follows_saved_and_bulk_loaded_schools(agency):
    SchoolFactory(agency=agency, name="Seckman High School", city="Imperial")
    assert set(SearchWord.objects.values_list("word", flat=True)) >= {"seckman", "high", "school", "imperial"}
    School.objects.bulk_create([School(agency=agency, name="Windsor Academy", slug="windsor", city="Festus")])
    assert names("windsr") == []  # bulk writes bypass the signal...
    search.refresh_search_words()  # ...and the bulk loaders count again
    assert names("windsr") == ["Windsor Academy"]
    assert SearchWord.objects.get(word="high").schools == 1


def test_counting_the_vocabulary_again_drops_words_no_school_uses_and_adds_those_loaded_in_bulk(agency):
    from io import StringIO

    from django.core.management import call_command

    school = SchoolFactory(agency=agency, name="Seckman High School", city="Imperial")
    School.objects.filter(pk=school.pk).update(name="Windsor High School")  # no signal: as loaddata or SQL
    assert names("windsor") == ["Windsor High School"]  # a word the vocabulary lacks is still a prefix
    out = StringIO()
    call_command("count_search_words", stdout=out)
    assert "words of the schools' names" in out.getvalue()
    words = set(SearchWord.objects.values_list("word", flat=True))
    assert "windsor" in words and "seckman" not in words
    assert names("windsr") == ["Windsor High School"]  # spelling help knows the new word


def test_ranking_is_the_same_on_both_databases(agency):
    """Ranking is done in Python: the order does not depend on the database's full-text rank."""
    for name, city, district in [
        ("Central Elementary", "Fox", "Central R-III"),
        ("Fox Elementary", "Central", "Fox C-6"),
        ("Fox Central Elementary", "Arnold", "Fox C-6"),
        ("Central Fox Elementary", "Arnold", "Fox C-6"),
    ]:
        SchoolFactory(agency=agency, name=name, city=city, district=district)
    assert names("central fox") == [
        "Central Fox Elementary",  # the words in a row in the name
        "Fox Central Elementary",  # both words in the name
        "Central Elementary",  # one in the name, one in the city, shorter name first
        "Fox Elementary",
    ]


def test_spelling_help_asks_the_vocabulary_twice_whatever_the_number_of_words(agency, django_assert_num_queries):
    SchoolFactory(agency=agency, name="Hillsboro Middle School", city="Hillsboro")
    SchoolFactory(agency=agency, name="Grandview Elementary School", city="Ware")
    with django_assert_num_queries(2):  # the words known, then every word one letter from the others
        corrected = corrected_words(["hillsbro", "midle", "grandveiw", "elementary", "sch", "42"])
    assert corrected == ["hillsboro", "middle", "grandview", "elementary", "sch", "42"]
    with django_assert_num_queries(1):
        assert corrected_words(["hillsboro", "middle"]) == ["hillsboro", "middle"]
