from django.core.exceptions import ValidationError

PDF_MAGIC = b"%PDF-"


def validate_pdf(upload):
    """Refuse files that only claim to be PDFs: the first bytes must say so."""
    position = upload.tell() if hasattr(upload, "tell") else 0
    upload.seek(0)
    head = upload.read(len(PDF_MAGIC))
    upload.seek(position)
    if head != PDF_MAGIC:
        raise ValidationError("This file is not a PDF. Save the document as PDF and upload it again.")
