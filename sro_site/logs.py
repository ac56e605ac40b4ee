"""Every log line as one JSON object, or, for a person at a terminal, as one
line of text: the formatter Django's logs use (settings.LOGGING) and gunicorn's
logger class, which gives gunicorn's lines the same formatter.

gunicorn writes the request log (every request, static files and cached pages
included, with its duration) and its error log itself, outside Django's
logging set-up; sharing one formatter gives them the same shape, so a container
platform parses every line of the site's output the same way. Loaded by the
gunicorn master: it must not import Django.

JSON unless LOG_FORMAT says otherwise or the output is a terminal: `make run`
in a terminal prints "07:41:02 INFO    GET /schools/ 200 12 ms", where JSON
lines drowned the invitation email and the first-sign-in hint.
"""

import logging
import os
import re
import sys
from datetime import UTC, datetime

from gunicorn import glogging
from pythonjsonlogger.json import JsonFormatter

FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"
RENAMED = {"asctime": "time", "levelname": "level", "name": "logger"}
# One-time links (staff invitations, password resets) carry their token in
# the path: the log says such a link was opened, never which.
ONE_TIME_LINK = re.compile(r"/(invitation|password-reset)/(?!choose-password/|sent/|done/)[^?]+")


def redact(path):
    return ONE_TIME_LINK.sub(lambda match: f"/{match.group(1)}/[one-time link]/", path)


class UtcJsonFormatter(JsonFormatter):
    """Times in UTC, ISO 8601 with milliseconds and the offset written out
    ("2026-11-29T17:12:18.235+00:00"): logging's default is local time without
    a zone, and Django sets the local zone to TIME_ZONE in its processes only,
    so gunicorn's master and Django's workers would disagree."""

    def formatTime(self, record, datefmt=None):
        return datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds")


def json_formatter():
    return UtcJsonFormatter(FORMAT, rename_fields=RENAMED)


class TextFormatter(logging.Formatter):
    """Time, level and message on one line; a request as "GET /schools/?q=oak 200 12 ms", a
    message of several lines (a Python warning and its source line) joined with " | ". Local
    time of day: a terminal's reader knows the date (with preload, gunicorn's master has
    Django's TIME_ZONE as its workers do). A traceback follows its line, as Python prints it:
    at a terminal, a person reads it."""

    def __init__(self):
        super().__init__("%(asctime)s %(levelname)-7s %(message)s", datefmt="%H:%M:%S")

    def formatMessage(self, record):
        message = record.message
        if hasattr(record, "duration_ms"):  # gunicorn's request log (SiteLogger.access)
            query = f"?{record.query}" if record.query else ""
            message = f"{record.method} {record.path}{query} {record.status} {record.duration_ms} ms"
        elif "\n" in message:
            message = " | ".join(line.strip() for line in message.splitlines() if line.strip())
        return super().formatMessage(logging.makeLogRecord({**record.__dict__, "message": message}))


def text_formatter():
    return TextFormatter()


def log_format(stream=None):
    """ "json" or "text": LOG_FORMAT when set, otherwise text when the output (standard
    output) is a terminal and JSON when it is not (a container platform, a file, a pipe)."""
    chosen = os.environ.get("LOG_FORMAT", "").strip().lower()
    if chosen in ("json", "text"):
        return chosen
    if chosen:
        raise ValueError(f"LOG_FORMAT is {chosen!r}: set it to json or text, or leave it unset.")
    stream = stream or sys.stdout
    return "text" if stream.isatty() else "json"


def site_formatter():
    """The one formatter of every line, gunicorn's (below) and Django's (settings.LOGGING)."""
    return text_formatter() if log_format() == "text" else json_formatter()


class RefusalsWithoutTraceback(logging.Filter):
    """A refused request (403: an editor opening another agency's page) is one line, "Forbidden
    (Permission denied): /admin/programs/program/7/change/", without the traceback Django's
    request log gives it: the refusal is the site doing its job, and each traceback was dozens
    of lines. On the django.request logger (settings.LOGGING), before any handler."""

    def filter(self, record):
        if getattr(record, "status_code", None) == 403:
            record.exc_info = None
            record.exc_text = None
        return True


class SiteLogger(glogging.Logger):
    def setup(self, cfg):
        super().setup(cfg)
        # Python's warnings go through logging too (the "py.warnings" logger),
        # not to stderr as bare text; the workers inherit this from the master.
        logging.captureWarnings(True)
        for log in (self.error_log, self.access_log):
            for handler in log.handlers:
                handler.setFormatter(site_formatter())
                # gunicorn sends "-" to stderr; one stream (stdout) for everything.
                if isinstance(handler, logging.StreamHandler) and handler.stream is sys.stderr:
                    handler.setStream(sys.stdout)

    def access(self, resp, req, environ, request_time):
        if not self.access_log_enabled:
            return
        atoms = self.atoms(resp, req, environ, request_time)
        fields = {
            "method": atoms["m"],
            "path": redact(atoms["U"]),
            "query": atoms["q"] or "",
            "status": int(atoms["s"]),
            "bytes": atoms["B"] or 0,
            "duration_ms": atoms["M"],
            "ip": atoms["h"],
            "user_agent": atoms["a"],
            # hit or miss from the page cache (page_cache/pages.py), "-" otherwise
            "page_cache": atoms.get("{x-page-cache}o", "-"),
        }
        try:
            self.access_log.info("%s %s %s", fields["method"], fields["path"], fields["status"], extra=fields)
        except Exception:
            self.exception("could not write the access log")
