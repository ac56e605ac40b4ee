"""The app's models, one module per area; import them from `programs.models`."""

from .content import (  # noqa: F401
    Agency,
    Assignment,
    EducationTopic,
    Goal,
    MissionRole,
    Officer,
    Outcome,
    Partnership,
    Photo,
    Program,
    School,
    State,
    current_school_year,
    format_school_year,
)
from .pages import ProgramPage  # noqa: E402, F401
from .search_words import SearchWord  # noqa: E402, F401
from .staff import AgencyMembership, Alert, editable_agency_ids  # noqa: E402, F401


def __getattr__(name):
    # TEMPORARY, until editor_home/attention.py imports `Submission` from `inbox.models`:
    # the inbox moved out of the domain (issue 25), and the domain must not import it.
    if name == "Submission":
        from inbox.models import Submission

        return Submission
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
