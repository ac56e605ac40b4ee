"""Admin registrations, one module per area."""

from . import content, inbox, staff  # noqa: F401
