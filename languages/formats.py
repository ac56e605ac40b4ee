"""Dates as each language's readers write them: "March 5, 2026", "5 de marzo de 2026"."""

from django.utils import dateformat
from django.utils.translation import pgettext


def long_date(value):
    # The format itself is translated (Django's own `DATE_FORMAT` for English abbreviates months).
    return dateformat.format(value, pgettext("date format", "F j, Y"))
