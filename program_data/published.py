"""What the public pages and the CSV downloads publish of programs' figures.

One structure, built here from FigureSets and the privacy rule
(program_data/privacy.py), is what the page renders and what the CSV
writes, so the two cannot disagree: a figure is a number, "fewer than 10",
"not shown" (hidden so that a small count cannot be worked out), or "not
collected", which is not zero.
"""

import csv
import io
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from programs.models import format_school_year

from . import privacy
from .charts import bar_chart
from .measures import DIMENSIONS_BY_KEY, MEASURES, SCHOOL_DIMENSION
from .validation import breakdown_keys

NOT_COLLECTED = "not_collected"
WITHHELD = "withheld"  # a whole breakdown not shown
# In the page's language (the CSV at /es/... too); its column names stay as they are.
HIDDEN_TEXT = gettext_lazy("not shown")
NOT_COLLECTED_TEXT = gettext_lazy("not collected")
WITHHELD_TEXT = gettext_lazy("breakdown not shown")
EXAMPLE_NOTE = gettext_lazy("Example figures, made up to show how figures appear: not real figures.")
UNKNOWN_SCHOOL = gettext_lazy("A school no longer on this site")


def small_text(threshold=None):
    return _("fewer than %(threshold)s") % {"threshold": threshold or settings.SMALL_COUNT_THRESHOLD}


@dataclass(frozen=True)
class Figure:
    status: str  # privacy.SHOWN, privacy.SMALL, privacy.HIDDEN, WITHHELD or NOT_COLLECTED
    number: int | None = None  # only when shown
    threshold: int = 10

    @property
    def is_number(self):
        return self.status == privacy.SHOWN

    @property
    def csv(self):
        """As the CSV gives it: the number, or the words the page uses."""
        if self.status == privacy.SHOWN:
            return str(self.number)
        return {
            privacy.SMALL: small_text(self.threshold),
            privacy.HIDDEN: HIDDEN_TEXT,
            WITHHELD: WITHHELD_TEXT,
            NOT_COLLECTED: NOT_COLLECTED_TEXT,
        }[self.status]

    @property
    def text(self):
        """As the page gives it: the number with thousands separated, or the same words."""
        return f"{self.number:,}" if self.status == privacy.SHOWN else self.csv


def rate_text(figure, enrollment):
    """Per 1,000 students enrolled, to one decimal; '' when the count is not shown or enrollment not given."""
    if not (figure.is_number and enrollment):
        return ""
    return f"{figure.number * 1000 / enrollment:,.1f}"


@dataclass
class Breakdown:
    key: str
    label: str  # "race or ethnicity", "school"
    definition: str
    rows: list  # [(group label, Figure)]
    withheld: bool = False


@dataclass
class MeasureYear:
    """One measure in one school year: its total and its breakdowns, as published."""

    figure_set: object
    total: Figure
    rate: str
    breakdowns: list = field(default_factory=list)

    @property
    def year_label(self):
        return format_school_year(self.figure_set.school_year)


def measure_year(figure_set, measure, school_names, threshold=None):
    """`school_names`: {school id: name} for the per-school figures."""
    threshold = threshold or settings.SMALL_COUNT_THRESHOLD
    entry = figure_set.figures.get(measure.key)
    if not entry or entry.get("count") is None:
        return MeasureYear(figure_set, Figure(NOT_COLLECTED, threshold=threshold), "")
    count = entry["count"]
    given = entry.get("by") or {}
    complete = {key: _all_groups(key, given[key], school_names) for key in breakdown_keys(measure) if given.get(key)}
    counts = {key: {group: n for group, (_label, n) in groups.items()} for key, groups in complete.items()}
    if measure.counts_students:
        protection = privacy.protect(count, counts, threshold)
    else:
        protection = privacy.Protection(
            total=privacy.SHOWN, cells={k: dict.fromkeys(groups, privacy.SHOWN) for k, groups in counts.items()}
        )
    total = Figure(protection.total, count if protection.total == privacy.SHOWN else None, threshold)
    year = MeasureYear(figure_set, total, rate_text(total, figure_set.enrollment))
    for key, groups in complete.items():
        label, definition = _breakdown_label(key)
        if key in protection.withheld:
            everyone = _("All schools") if key == SCHOOL_DIMENSION else _("All groups")
            rows = [(everyone, Figure(WITHHELD, threshold=threshold))]
        else:
            statuses = protection.cells[key]
            rows = [
                (name, Figure(statuses[group], n if statuses[group] == privacy.SHOWN else None, threshold))
                for group, (name, n) in groups.items()
            ]
        year.breakdowns.append(Breakdown(key, label, definition, rows, key in protection.withheld))
    return year


def _breakdown_label(key):
    if key == SCHOOL_DIMENSION:
        return _("school"), _("Each school the program serves; the schools add up to the program's total.")
    dimension = DIMENSIONS_BY_KEY[key]
    return dimension.label, dimension.definition


def _all_groups(key, given, school_names):
    """{group: (label, count)} with every group of the breakdown, 0 where none was entered, in the page's order."""
    if key == SCHOOL_DIMENSION:
        named = [(school_names.get(int(pk), UNKNOWN_SCHOOL), pk, n) for pk, n in given.items()]
        return {pk: (name, n) for name, pk, n in sorted(named)}
    return {c.key: (c.label, given.get(c.key, 0)) for c in DIMENSIONS_BY_KEY[key].categories}


def school_ids(figure_sets):
    """The schools named by per-school figures, to look their names up in one query."""
    return {
        int(pk)
        for figure_set in figure_sets
        for entry in figure_set.figures.values()
        if isinstance(entry, dict)
        for pk in (entry.get("by") or {}).get(SCHOOL_DIMENSION, {})
    }


@dataclass
class MeasureSection:
    measure: object
    years: list  # MeasureYear, oldest first
    chart: dict

    @property
    def has_breakdowns(self):
        return any(year.breakdowns for year in self.years)

    @property
    def has_example(self):
        return any(year.figure_set.is_example for year in self.years)


def program_sections(figure_sets, school_names):
    """Every measure over the years (`figure_sets` oldest first), as the program's data page shows it."""
    sections = []
    for measure in MEASURES:
        years = [measure_year(figure_set, measure, school_names) for figure_set in figure_sets]
        sections.append(MeasureSection(measure, years, trend_chart(measure, years)))
    return sections


def trend_chart(measure, years):
    examples = any(year.figure_set.is_example for year in years)
    title = _("%(measure)s, by school year") % {"measure": measure.label}
    if examples:
        title = _("%(title)s (example figures, not real)") % {"title": title}
    bars = [(year.year_label, year.total.number, year.total.text) for year in years]
    return bar_chart(f"chart-{measure.key}", title, trend_summary(measure, years), bars)


def trend_summary(measure, years):
    """The chart in words: each year's figure, and which way it went when two years in a row are numbers."""
    if not years:
        return _("No figures for %(measure)s yet.") % {"measure": measure.label.lower()}
    parts = [_("%(figure)s in %(year)s") % {"figure": year.total.text, "year": year.year_label} for year in years]
    sentence = f"{measure.unit}: " + _join(parts) + "."
    if len(years) >= 2 and years[-1].total.is_number and years[-2].total.is_number:
        before, now = years[-2].total.number, years[-1].total.number
        if now == before:
            sentence += " " + _("The same in %(year)s as the year before.") % {"year": years[-1].year_label}
        else:
            change = (
                _("Up from %(before)s to %(now)s in %(year)s.")
                if now > before
                else _("Down from %(before)s to %(now)s in %(year)s.")
            )
            sentence += " " + change % {"before": f"{before:,}", "now": f"{now:,}", "year": years[-1].year_label}
    if any(year.figure_set.is_example for year in years):
        sentence = _("Example figures, not real.") + " " + sentence
    return sentence


def _join(parts):
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " " + _("and") + " " + parts[-1]


# The CSV: one row per figure the page shows, in the page's order.
CSV_COLUMNS = [
    "Program",
    "School year",
    "Measure",
    "Breakdown",
    "Group or school",
    "Figure",
    "Per 1,000 students enrolled",
    "Students enrolled",
    "Data through",
    "Source",
    "Note",
    "Example figures (not real)",
]


def csv_rows(program_title, sections):
    for section in sections:
        for year in section.years:
            figure_set = year.figure_set
            common = {
                "Program": program_title,
                "School year": year.year_label,
                "Measure": section.measure.label,
                "Students enrolled": figure_set.enrollment or "",
                "Data through": figure_set.data_through.isoformat(),
                "Source": figure_set.source,
                "Note": figure_set.note,
                "Example figures (not real)": "yes" if figure_set.is_example else "no",
            }
            yield {
                **common,
                "Breakdown": "",
                "Group or school": "",
                "Figure": year.total.csv,
                "Per 1,000 students enrolled": year.rate.replace(",", ""),
            }
            for breakdown in year.breakdowns:
                for label, figure in breakdown.rows:
                    yield {
                        **common,
                        "Breakdown": breakdown.label,
                        "Group or school": label,
                        "Figure": figure.csv,
                        "Per 1,000 students enrolled": "",
                    }


FORMULA_STARTS = ("=", "+", "-", "@")


def csv_text(program_title, sections):
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS)
    writer.writeheader()
    for row in csv_rows(program_title, sections):
        # A cell starting with = + - @ would be a formula to a spreadsheet program.
        writer.writerow({k: "'" + v if str(v).startswith(FORMULA_STARTS) else v for k, v in row.items()})
    return out.getvalue()


@dataclass
class StateComparison:
    """One measure in one school year across a state's programs."""

    measure: object
    rows: list  # (program, MeasureYear), programs that collected it
    chart: dict | None

    @property
    def has_example(self):
        return any(year.figure_set.is_example for _program, year in self.rows)


def state_comparisons(figure_sets, year_label):
    """For each measure, the programs whose figures for the year include it (`figure_sets`: one year's)."""
    comparisons = []
    for measure in MEASURES:
        rows = []
        for figure_set in figure_sets:
            year = measure_year(figure_set, measure, {})
            if year.total.status != NOT_COLLECTED:
                rows.append((figure_set.program, year))
        if not rows:
            continue
        comparisons.append(StateComparison(measure, rows, _rate_chart(measure, rows, year_label)))
    return comparisons


def _rate_chart(measure, rows, year_label):
    rated = [(program, year) for program, year in rows if year.rate]
    if not rated:
        return None
    examples = any(year.figure_set.is_example for _p, year in rated)
    title = _("%(measure)s per 1,000 students enrolled, %(year)s") % {"measure": measure.label, "year": year_label}
    if examples:
        title = _("%(title)s (example figures, not real)") % {"title": title}
    bars = [
        (_program_label(program, year), year.total.number * 1000 / year.figure_set.enrollment, year.rate)
        for program, year in rated
    ]
    values = ", ".join(f"{label} {text}" for label, _value, text in bars)
    summary = _("%(measure)s per 1,000 students enrolled in %(year)s: %(values)s.") % {
        "measure": measure.label,
        "year": year_label,
        "values": values,
    }
    missing = len(rows) - len(rated)
    if missing:
        summary += " " + ngettext(
            "%(count)s more program published this measure without a rate "
            "(enrollment not given, or a count not shown); see the table.",
            "%(count)s more programs published this measure without a rate "
            "(enrollment not given, or a count not shown); see the table.",
            missing,
        ) % {"count": missing}
    if examples:
        summary = _("Example figures, not real.") + " " + summary
    return bar_chart(f"chart-{measure.key}", title, summary, bars)


def _program_label(program, year):
    return program.agency.county_name + (" " + _("(example)") if year.figure_set.is_example else "")
