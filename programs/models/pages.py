"""The public program page's data, kept as one document per program (a read model).

Built from the content tables by programs/program_pages.py and never edited by
hand: staff edit the content, and each change marks the documents it affects
stale in the same transaction.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .content import Program


class ProgramPage(models.Model):
    program = models.OneToOneField(Program, on_delete=models.CASCADE, primary_key=True, related_name="page")
    # Raised by every change that affects the page; a rebuild saves only if it
    # is still the version it read first, so a document never mixes old and new data.
    version = models.PositiveBigIntegerField(default=0)
    # Officers are listed by this school year's assignments: July 1 changes the page.
    school_year = models.PositiveSmallIntegerField(null=True)
    # The document in the default language; each other language's is beside it (below).
    data = models.JSONField(null=True)

    class Meta:
        verbose_name = _("program page")
        verbose_name_plural = _("program pages")

    def __str__(self):
        return f"Page data of {self.program}"


def data_field(language):
    """The column holding the document in `language`: `data`, `data_es`..."""
    return "data" if language == settings.LANGUAGE_CODE else f"data_{language}"


# One document per language, so a request still reads one row and one document:
# a new language in settings.LANGUAGES gets its column with `makemigrations`.
for _code, _name in settings.LANGUAGES:
    if _code != settings.LANGUAGE_CODE:
        ProgramPage.add_to_class(data_field(_code), models.JSONField(null=True))
