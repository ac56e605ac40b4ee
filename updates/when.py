"""An event's date and time as the page's (or the email's) language writes them."""

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from languages.formats import long_date


def _time(moment):
    return formats.time_format(timezone.localtime(moment))


def event_when(update):
    """ "March 5, 2026, 6 p.m. to 7:30 p.m.", or over two days with both dates."""
    if not update.is_event:
        return ""
    start = timezone.localtime(update.event_start)
    begins = _("%(date)s, %(time)s") % {"date": long_date(start.date()), "time": _time(start)}
    if update.event_end is None:
        return begins
    end = timezone.localtime(update.event_end)
    if end.date() == start.date():
        return _("%(start)s to %(end)s") % {"start": begins, "end": _time(end)}
    ends = _("%(date)s, %(time)s") % {"date": long_date(end.date()), "time": _time(end)}
    return _("%(start)s to %(end)s") % {"start": begins, "end": ends}
