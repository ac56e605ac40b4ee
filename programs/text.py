"""Plain text as staff type it into the admin."""

import re

# A line of spaces looks blank and counts as one.
_BLANK_LINE = re.compile(r"\n[ \t]*\n\s*")


def paragraphs(text):
    """The paragraphs of a text: the parts between blank lines, trimmed, empty ones left out.
    Browsers send a textarea's line breaks as \\r\\n, imports and the shell as \\n: both count."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    return [part.strip() for part in _BLANK_LINE.split(text) if part.strip()]
