"""Admin registrations, one module per area."""

from . import content, inbox  # noqa: F401
