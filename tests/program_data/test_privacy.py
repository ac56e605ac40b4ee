"""Small counts about students are never published, and none can be worked out from what is (issue 13).

The property test plays a reader with the CSV a program's page offers (the page shows
the same: tests/program_data/test_pages.py holds them equal). The reader knows what
the page says the rule is: a "fewer than 10" count is 1 to 9, a "not shown" count is
at least 10 and no larger than the smallest count shown beside it, and each
breakdown adds up to the total. For every hidden count, it tries every whole number
that fits all of that at once (not the interval arithmetic the rule itself uses),
and finds at least two.
"""

import csv
import io
from datetime import date
from types import SimpleNamespace

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from program_data import privacy
from program_data.measures import BY_KEY, DIMENSIONS_BY_KEY
from program_data.published import (
    HIDDEN_TEXT,
    NOT_COLLECTED_TEXT,
    WITHHELD_TEXT,
    csv_text,
    measure_year,
    small_text,
)

REFERRALS = BY_KEY["referrals"]


def figure_set(figures, enrollment=None, school_year=2025):
    return SimpleNamespace(
        figures=figures,
        enrollment=enrollment,
        school_year=school_year,
        is_example=False,
        data_through=date(school_year + 1, 6, 30),
        source="Test records",
        note="",
    )


def published(total, breakdowns, threshold=10):
    """{breakdown or "": {group: text}} as the CSV gives one year's referrals."""
    names = {int(k): f"School {k}" for k in breakdowns.get("school", {})}
    year = figure_set({"referrals": {"count": total, "by": breakdowns}})
    section = SimpleNamespace(measure=REFERRALS, years=[measure_year(year, REFERRALS, names, threshold)])
    table = {}
    for row in csv.DictReader(io.StringIO(csv_text("Test program", [section]))):
        table.setdefault(row["Breakdown"], {})[row["Group or school"]] = row["Figure"]
    return table


# The reader.


def what_a_reader_knows(text, threshold):
    """(least, most) for a hidden count, or the number; None for a withheld breakdown."""
    if text == small_text(threshold):
        return (1, threshold - 1)
    if text in (HIDDEN_TEXT, WITHHELD_TEXT):
        return text
    return int(text)


def values_each_can_take(ranges, target):
    """For counts within `ranges` [(least, most)] adding up to `target`: the values each one can take."""
    reachable_after = [set() for _ in ranges] + [{0}]
    for i in reversed(range(len(ranges))):
        least, most = ranges[i]
        reachable_after[i] = {s + v for s in reachable_after[i + 1] for v in range(least, most + 1) if s + v <= target}
    reachable_before = [{0}]
    for least, most in ranges:
        reachable_before.append(
            {s + v for s in reachable_before[-1] for v in range(least, most + 1) if s + v <= target}
        )
    return [
        {
            v
            for v in range(least, most + 1)
            if any(target - v - before in reachable_after[i + 1] for before in reachable_before[i])
        }
        for i, (least, most) in enumerate(ranges)
    ]


def possible_values(table, threshold):
    """Every value each hidden count (and a hidden total) can have, given everything the page says."""
    total = what_a_reader_knows(table[""][""], threshold)
    totals = [total] if isinstance(total, int) else range(total[0], total[1] + 1)
    possible = {}
    for candidate in totals:
        found = {}
        for breakdown, groups in table.items():
            if breakdown == "" or WITHHELD_TEXT in groups.values():
                continue
            known = {g: what_a_reader_knows(t, threshold) for g, t in groups.items()}
            numbers = [v for v in known.values() if isinstance(v, int)]
            ceiling = min([v for v in numbers if v > 0] + [candidate])
            hidden = {
                g: (threshold, ceiling) if v == HIDDEN_TEXT else v for g, v in known.items() if not isinstance(v, int)
            }
            target = candidate - sum(numbers)
            if target < 0:
                break
            values = values_each_can_take(list(hidden.values()), target)
            if hidden and not all(values) or not hidden and target != 0:
                break  # this total is impossible
            for group, can_be in zip(hidden, values, strict=True):
                found[(breakdown, group)] = can_be
        else:
            if not isinstance(total, int):
                possible.setdefault(("", ""), set()).add(candidate)
            for key, can_be in found.items():
                possible.setdefault(key, set()).update(can_be)
    return possible


# The tables hypothesis draws: the referrals of one year, in one to four breakdowns.

counts = st.one_of(st.integers(0, 12), st.integers(0, 40))


@st.composite
def referral_tables(draw):
    threshold = draw(st.sampled_from([3, 5, 10, 11]))
    first_kind = draw(st.sampled_from(["race", "school"]))
    size = 7 if first_kind == "race" else draw(st.integers(1, 5))
    first = draw(st.lists(counts, min_size=size, max_size=size))
    total = sum(first)
    kinds = [first_kind] + draw(
        st.lists(st.sampled_from(["sex", "disability", "english_learner", "school", "race"]), max_size=3, unique=True)
    )
    breakdowns = {}
    for kind in dict.fromkeys(kinds):
        if kind == first_kind:
            parts = first
        else:
            groups = 7 if kind == "race" else (draw(st.integers(1, 5)) if kind == "school" else 2)
            cuts = sorted(draw(st.lists(st.integers(0, total), min_size=groups - 1, max_size=groups - 1)))
            parts = [b - a for a, b in zip([0, *cuts], [*cuts, total], strict=True)]
        if kind == "school":
            breakdowns[kind] = {str(100 + i): n for i, n in enumerate(parts)}
        else:
            categories = DIMENSIONS_BY_KEY[kind].categories
            breakdowns[kind] = {c.key: n for c, n in zip(categories, parts, strict=True)}
    return threshold, total, breakdowns


def label_of(breakdown, group):
    if breakdown == "school":
        return f"School {group}"
    return next(c.label for c in DIMENSIONS_BY_KEY[breakdown].categories if c.key == group)


def breakdown_label(key):
    return "school" if key == "school" else DIMENSIONS_BY_KEY[key].label


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(referral_tables())
@example((10, 12, {"race": {"black": 10, "white": 1, "asian": 1}}))
@example((10, 11, {"school": {"100": 10, "101": 1}}))
@example((10, 9, {"school": {str(100 + i): 1 for i in range(9)}}))
@example((5, 6, {"sex": {"male": 3, "female": 3}, "school": {"100": 6}}))
@example((10, 23, {"sex": {"male": 15, "female": 8}, "disability": {"with": 9, "without": 14}}))
@example((10, 35, {"race": {"black": 3, "white": 10, "hispanic": 10, "asian": 12}}))
def test_no_hidden_count_can_be_worked_out_from_what_is_published(table):
    threshold, total, breakdowns = table
    page = published(total, breakdowns, threshold)
    truth = {("", ""): total}
    for key, groups in breakdowns.items():
        for group, n in groups.items():
            truth[(breakdown_label(key), label_of(key, group))] = n

    # What is shown is true, and no count from 1 to threshold - 1 is ever shown.
    hidden = []
    for breakdown, groups in page.items():
        for group, text in groups.items():
            if text == WITHHELD_TEXT:
                continue
            if text.isdigit():
                assert int(text) == truth.get((breakdown, group), 0)  # a group left out is 0
                assert not 0 < int(text) < threshold
            else:
                assert text in (small_text(threshold), HIDDEN_TEXT)
                hidden.append((breakdown, group))

    # Every hidden count could be at least two values, the true one among them.
    possible = possible_values(page, threshold)
    for key in hidden:
        assert truth.get(key, 0) in possible[key], (key, possible[key])
        assert len(possible[key]) >= 2, (key, possible[key], page)

    # And, as a plainer check: every sum (total = groups) with a hidden count has at least two unknowns.
    total_hidden = page[""][""] == small_text(threshold)
    for breakdown, groups in page.items():
        if breakdown == "" or WITHHELD_TEXT in groups.values():
            continue
        unknowns = sum(not t.isdigit() for t in groups.values()) + total_hidden
        assert unknowns == 0 or unknowns >= 2, (breakdown, groups)


# The rule, case by case.


def test_a_count_from_1_to_9_is_published_as_fewer_than_10():
    page = published(23, {"sex": {"male": 15, "female": 8}})
    assert page["sex"]["Female"] == "fewer than 10"


def test_a_lone_small_count_hides_the_next_smallest_beside_it():
    page = published(40, {"race": {"black": 4, "white": 14, "hispanic": 22}})
    race = page["race or ethnicity"]
    assert race["Black or African American"] == "fewer than 10"
    assert race["White"] == "not shown"  # 14, the next-smallest
    assert race["Hispanic or Latino, of any race"] == "22"
    assert race["Asian"] == "0"  # zeros are shown


def test_two_small_counts_that_could_only_be_1_and_1_are_not_enough():
    # 12 = 10 + 1 + 1: showing 10 and hiding the 1s would give them away; hiding the 10 too leaves
    # "at least 10" and two counts of at least 1 adding up to 12: still only 10, 1 and 1. So: not shown at all.
    page = published(12, {"race": {"white": 10, "black": 1, "asian": 1}})
    assert page["race or ethnicity"] == {"All groups": "breakdown not shown"}
    assert page[""][""] == "12"


def test_two_small_counts_with_room_between_them_are_enough():
    page = published(11, {"race": {"black": 5, "white": 6}})
    race = page["race or ethnicity"]
    assert (race["Black or African American"], race["White"]) == ("fewer than 10", "fewer than 10")


def test_a_small_total_hides_every_count_but_the_zeros():
    page = published(6, {"sex": {"male": 6, "female": 0}})
    assert page[""][""] == "fewer than 10"
    assert page["sex"] == {"Male": "fewer than 10", "Female": "0"}


def test_a_zero_total_is_shown_as_zero():
    page = published(0, {"sex": {"male": 0, "female": 0}})
    assert page[""][""] == "0"
    assert page["sex"] == {"Male": "0", "Female": "0"}


def test_nine_schools_of_one_student_each_are_not_broken_down():
    """A hidden total of 9 with nine schools of at least 1 would mean 1 at each."""
    page = published(9, {"school": {str(100 + i): 1 for i in range(9)}})
    assert page["school"] == {"All schools": "breakdown not shown"}


def test_the_threshold_is_a_setting():
    page = published(23, {"sex": {"male": 19, "female": 4}}, threshold=5)
    assert page["sex"] == {"Male": "not shown", "Female": "fewer than 5"}
    assert published(7, {}, threshold=5)[""][""] == "7"


def test_counts_that_are_not_about_students_are_published_as_they_are():
    year = figure_set({"complaints_received": {"count": 3}, "presentations": {"count": 1}})
    assert measure_year(year, BY_KEY["complaints_received"], {}).total.text == "3"
    assert measure_year(year, BY_KEY["presentations"], {}).total.text == "1"


def test_not_collected_is_not_zero():
    year = figure_set({"use_of_force": {"count": None}, "arrests": {"count": 0}}, enrollment=1000)
    assert measure_year(year, BY_KEY["use_of_force"], {}).total.text == NOT_COLLECTED_TEXT
    assert measure_year(year, BY_KEY["referrals"], {}).total.text == NOT_COLLECTED_TEXT  # not entered at all
    arrests = measure_year(year, BY_KEY["arrests"], {})
    assert (arrests.total.text, arrests.rate) == ("0", "0.0")


def test_a_rate_is_given_only_for_a_count_that_is_shown():
    year = figure_set({"referrals": {"count": 23}, "arrests": {"count": 6}}, enrollment=7850)
    assert measure_year(year, BY_KEY["referrals"], {}).rate == "2.9"
    assert measure_year(year, BY_KEY["arrests"], {}).rate == ""  # 6 / 7,850 would give the 6 away


def test_a_threshold_below_3_is_refused():
    with pytest.raises(ValueError, match="below 3"):
        privacy.protect(1, {}, 2)


def test_a_threshold_setting_below_3_stops_start_up():
    from tests.sro_site.test_settings import run_with

    result = run_with({"DEBUG": "true", "SECRET_KEY": "x" * 50, "SMALL_COUNT_THRESHOLD": "2"})
    assert result.returncode != 0
    assert "SMALL_COUNT_THRESHOLD must be 3 or more" in result.stderr
