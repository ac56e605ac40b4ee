"""Signed agreements are published as PDFs: an upload must be one, and not too large."""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat

# A PDF starts with its header, "%PDF-1.7" or "%PDF-2.0" (readers tolerate
# bytes before it; we do not, as a file with a web page or a program in front
# is not a document to publish), and ends with "startxref", the offset of its
# cross-reference table, and "%%EOF" (readers look in the last kilobyte or so).
HEADER = re.compile(rb"%PDF-[12]\.\d")
HEAD_BYTES = 16
TAIL_BYTES = 2048


def _read(upload, start, length):
    upload.seek(start)
    return upload.read(length)


def validate_agreement_pdf(upload):
    """Refuse anything but a whole PDF within AGREEMENT_PDF_MAX_BYTES, saying what to do instead."""
    if getattr(upload, "_committed", False):
        return  # already stored, and checked when it was uploaded
    if upload.size > settings.AGREEMENT_PDF_MAX_BYTES:
        limit = filesizeformat(settings.AGREEMENT_PDF_MAX_BYTES)
        raise ValidationError(
            f"This file is larger than {limit}. Save the agreement as a smaller PDF "
            "(for example with a lower scan resolution) and upload it again."
        )
    position = upload.tell() if hasattr(upload, "tell") else 0
    try:
        head = _read(upload, 0, HEAD_BYTES)
        tail = _read(upload, max(0, upload.size - TAIL_BYTES), TAIL_BYTES)
    finally:
        upload.seek(position)
    if not HEADER.match(head):
        raise ValidationError("This file is not a PDF. Save the signed agreement as PDF and upload it again.")
    if b"%%EOF" not in tail or b"startxref" not in tail:
        raise ValidationError(
            "This PDF is incomplete or damaged (its end is missing). Save or scan it again and upload the new file."
        )
