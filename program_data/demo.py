"""Example figures for the two demo counties (manage.py load_demo): two school
years each, made up to show every rule of the pages at work (small counts,
a count hidden with a small one, "not collected" beside zero, rates per
1,000 students). Flagged `is_example`: the pages, the CSV and the state's
comparison say so wherever they appear. Never the counties' real figures.
"""

from datetime import date

from programs.models import School, current_school_year

from .models import FigureSet

SOURCE = "Example figures made up for this demo site; not from the {agency}"
NOTE = "These are not the county's real figures."

# Per program slug: the two school years before this one, oldest first. Schools by slug.
FIGURES = {
    "st-charles-county": [
        {
            "enrollment": 7850,
            "figures": {
                "referrals": {
                    "count": 23,
                    "by": {
                        "race": {"hispanic": 2, "black": 6, "white": 13, "two_or_more": 2},
                        "sex": {"male": 15, "female": 8},
                        "disability": {"with": 9, "without": 14},
                        "english_learner": {"yes": 3, "no": 20},
                        "school": {
                            "example-elementary-st-charles": 1,
                            "example-middle-st-charles": 7,
                            "example-high-st-charles": 15,
                        },
                    },
                },
                "arrests": {"count": 6, "by": {"race": {"black": 4, "white": 2}, "sex": {"male": 6}}},
                "presentations": {"count": 148},
                "students_reached": {"count": 4210},
                "calls_for_service": {
                    "count": 312,
                    "by": {
                        "school": {
                            "example-elementary-st-charles": 40,
                            "example-middle-st-charles": 96,
                            "example-high-st-charles": 176,
                        }
                    },
                },
                "use_of_force": {"count": None},
                "complaints_received": {"count": 3},
                "complaints_sustained": {"count": 1},
            },
        },
        {
            "enrollment": 7920,
            "figures": {
                "referrals": {
                    "count": 19,
                    "by": {
                        "race": {"hispanic": 3, "black": 5, "white": 11},
                        "sex": {"male": 12, "female": 7},
                    },
                },
                "arrests": {"count": 11, "by": {"race": {"black": 5, "white": 6}}},
                "presentations": {"count": 161},
                "students_reached": {"count": 4580},
                "calls_for_service": {"count": 298},
                "use_of_force": {"count": 0},
                "complaints_received": {"count": 2},
                "complaints_sustained": {"count": 0},
            },
        },
    ],
    "jefferson-county": [
        {
            "enrollment": 10400,
            "figures": {
                "referrals": {
                    "count": 31,
                    "by": {
                        "race": {"hispanic": 4, "black": 3, "white": 20, "two_or_more": 4},
                        "school": {"example-elementary-jefferson": 4, "example-high-jefferson": 27},
                    },
                },
                "arrests": {"count": 9},
                "presentations": {"count": 87},
                "students_reached": {"count": 2630},
                "calls_for_service": {"count": None},
                "use_of_force": {"count": 2},
                "complaints_received": {"count": 4},
                "complaints_sustained": {"count": 1},
            },
        },
        {
            "enrollment": None,
            "figures": {
                "referrals": {"count": 27, "by": {"sex": {"male": 17, "female": 10}}},
                "arrests": {"count": 12},
                "presentations": {"count": 95},
                "students_reached": {"count": None},
                "calls_for_service": {"count": 410},
                "use_of_force": {"count": 1},
                "complaints_received": {"count": 5},
                "complaints_sustained": {"count": 2},
            },
        },
    ],
}


def _with_school_ids(figures):
    """The per-school figures keyed by the schools' ids, as the site keeps them."""
    slugs = {
        slug for entry in figures.values() for slug in (entry.get("by") or {}).get("school", {}) if entry is not None
    }
    ids = dict(School.objects.filter(slug__in=slugs).values_list("slug", "pk"))
    result = {}
    for key, entry in figures.items():
        entry = {**entry}
        if "school" in entry.get("by", {}):
            schools = {str(ids[slug]): n for slug, n in entry["by"]["school"].items() if slug in ids}
            entry["by"] = {**entry["by"], "school": schools}
            if sum(schools.values()) != entry["count"]:  # an example school was deleted: leave the breakdown out
                del entry["by"]["school"]
        result[key] = entry
    return result


def load_example_figures(program):
    """Create or restore the program's example figures; a year staff entered real figures for is left alone."""
    years = FIGURES.get(program.slug, [])
    first_year = current_school_year() - len(years)
    for offset, year in enumerate(years):
        school_year = first_year + offset
        existing = FigureSet.objects.filter(program=program, school_year=school_year).first()
        if existing is not None and not existing.is_example:
            continue
        figure_set = existing or FigureSet(program=program, school_year=school_year)
        figure_set.data_through = date(school_year + 1, 6, 30)
        figure_set.source = SOURCE.format(agency=program.agency.name)
        figure_set.note = NOTE
        figure_set.enrollment = year["enrollment"]
        figure_set.is_example = True
        figure_set.figures = _with_school_ids(year["figures"])
        figure_set.full_clean()
        figure_set.save()
