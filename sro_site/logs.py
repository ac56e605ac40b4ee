"""Every log line as one JSON object: the formatter Django's logs use
(settings.LOGGING) and gunicorn's logger class, which gives gunicorn's lines
the same formatter.

gunicorn writes the request log (every request, static files and cached pages
included, with its duration) and its error log itself, outside Django's
logging set-up; sharing one formatter gives them the same shape, so a container
platform parses every line of the site's output the same way. Loaded by the
gunicorn master: it must not import Django.
"""

import logging
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
    """The one formatter of every line, gunicorn's (below) and Django's (settings.LOGGING)."""
    return UtcJsonFormatter(FORMAT, rename_fields=RENAMED)


class JsonLogger(glogging.Logger):
    def setup(self, cfg):
        super().setup(cfg)
        # Python's warnings go through logging too (the "py.warnings" logger),
        # not to stderr as bare text; the workers inherit this from the master.
        logging.captureWarnings(True)
        for log in (self.error_log, self.access_log):
            for handler in log.handlers:
                handler.setFormatter(json_formatter())
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
