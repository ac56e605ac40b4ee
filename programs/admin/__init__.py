"""Admin registrations, one module per area."""

from . import content, staff  # noqa: F401
