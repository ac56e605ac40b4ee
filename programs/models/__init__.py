"""The app's models, one module per area; import them from `programs.models`."""

from .content import *  # noqa: F403 (its __all__: the content models and school-year helpers)
from .pages import ProgramPage  # noqa: E402, F401
from .search_words import SearchWord  # noqa: E402, F401
from .staff import AgencyMembership, Alert, editable_agency_ids  # noqa: E402, F401
