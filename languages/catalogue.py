"""Checks of the translation catalogues, for the tests and for `make messages`' users.

`extract(locale_root)` runs Django's makemessages over the project's code into a
copy of the catalogues, so the committed files are never touched; then a
catalogue with an empty or fuzzy entry is a string someone marked for
translation and nobody translated yet.
"""

import os
import shutil
from pathlib import Path

import polib
from django.conf import settings
from django.core.management import call_command
from django.test.utils import override_settings

# What makemessages never reads: dependencies, tests, generated and local files.
IGNORED = [".venv", "node_modules", "tests", "bench", "staticfiles", "media", ".cache", ".git", "locale"]


def catalogue_path(language, root=None):
    return Path(root or settings.LOCALE_PATHS[0]) / language / "LC_MESSAGES" / "django.po"


def extract(workdir, language):
    """The committed catalogue of `language`, updated by makemessages from the code as it is now,
    written under `workdir` (the project's own files are left alone)."""
    workdir = Path(workdir)
    locale = workdir / "locale"
    copy = catalogue_path(language, locale)
    copy.parent.mkdir(parents=True)
    shutil.copy(catalogue_path(language), copy)
    # makemessages writes next to the sources it finds under the current folder:
    # a folder of links to the project's, with no locale folder of its own.
    sources = workdir / "sources"
    sources.mkdir()
    for entry in Path(settings.BASE_DIR).iterdir():
        if entry.name not in IGNORED and not entry.name.startswith("."):
            (sources / entry.name).symlink_to(entry)
    cwd = os.getcwd()
    os.chdir(sources)
    try:
        with override_settings(LOCALE_PATHS=[locale]):
            call_command(
                "makemessages",
                locale=[language],
                symlinks=True,
                no_obsolete=True,
                ignore_patterns=IGNORED,
                verbosity=0,
            )
    finally:
        os.chdir(cwd)
    return polib.pofile(str(copy))


def untranslated(catalogue):
    """Entries with no translation, or marked fuzzy (a guess of msgmerge's that nobody checked)."""
    return [entry for entry in catalogue if entry.msgid and (not entry.translated() or "fuzzy" in entry.flags)]
