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
from .submissions import Submission  # noqa: E402, F401
