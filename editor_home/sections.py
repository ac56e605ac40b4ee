"""The admin's models grouped as an editor thinks of them, not alphabetically.

Models named in SECTIONS are shown under their section, in the order given;
the technical apps (accounts, second factors, lock-outs) go under "Site
administration", which only superusers see. Any other app keeps its own
section after these, so a new app (the agreements register, training...)
shows up without a change here; it may also place its models with `place`.
"""

from django.apps import apps
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_noop as _

# Section names in English (they make the sections' CSS classes), shown in the admin's language.
SITE_ADMINISTRATION = _("Site administration")

SECTIONS = {
    _("Your program"): [
        "programs.program",
        "programs.agency",
        "programs.goal",
        "programs.missionrole",
        "programs.outcome",
        "programs.photo",
        "programs.partnership",
        "agreements.agreement",
        "officer_feedback.schoolmatterscontact",
        "program_data.figureset",
        "programs.alert",
    ],
    _("People and schools"): ["programs.officer", "programs.school", "programs.assignment"],
    _("Requests from the public"): [
        "inbox.submission",
        # Seen only by the agency's professional-standards unit (officer_feedback/).
        "officer_feedback.feedback",
        "officer_feedback.professionalstandardscontact",
    ],
    _("Shared"): ["programs.educationtopic", "programs.state", "training.course"],
    SITE_ADMINISTRATION: ["programs.agencymembership", "officer_feedback.professionalstandardsmembership"],
}

# Whole apps that are site administration: users, groups, devices, lock-outs.
TECHNICAL_APPS = {
    "auth",
    "accounts",
    "axes",
    "otp_totp",
    "otp_static",
    "otp_email",
    "otp_hotp",
    "django_otp_webauthn",
    "editor_home",
}


def place(model_label, section):
    """Put a model ("app_label.modelname") under a section, e.g. from another app's ready()."""
    for labels in SECTIONS.values():
        if model_label in labels:
            labels.remove(model_label)
    SECTIONS.setdefault(section, []).append(model_label)


def _slug(name):
    return name.lower().replace(" ", "-")


def group_by_section(app_list):
    """Django's list of apps (each with its models) regrouped into SECTIONS."""
    position = {label: (i, j) for i, labels in enumerate(SECTIONS.values()) for j, label in enumerate(labels)}
    grouped = {name: [] for name in SECTIONS}
    others = []
    for app in app_list:
        leftover = []
        for model in app["models"]:
            label = f"{app['app_label']}.{model['object_name'].lower()}"
            if label in position:
                grouped[list(SECTIONS)[position[label][0]]].append((position[label][1], model))
            elif app["app_label"] in TECHNICAL_APPS:
                grouped[SITE_ADMINISTRATION].append((len(position) + len(grouped[SITE_ADMINISTRATION]), model))
            else:
                leftover.append(model)
        if leftover:
            others.append({**app, "models": leftover})
    sections = [
        # No app_url: a section is not an app, and has no page of its own (templates/admin/app_list.html).
        {"name": gettext(name), "app_label": _slug(name), "app_url": "", "has_module_perms": True, "models": models}
        for name, entries in grouped.items()
        if (models := [model for _, model in sorted(entries, key=lambda entry: entry[0])])
    ]
    administration = [s for s in sections if s["app_label"] == _slug(SITE_ADMINISTRATION)]
    return [s for s in sections if s["app_label"] != _slug(SITE_ADMINISTRATION)] + others + administration


def _untranslated(name):
    """True where `name` (a lazy verbose name) reads the same in the site's default language as in
    the active one: a library's name with no translation ("TOTP devices")."""
    with translation.override(settings.LANGUAGE_CODE):
        default = str(name)
    return str(name) == default


def mark_english_names(app_list):
    """Give the apps and models whose names have no translation into the admin's language a `lang`
    of the default language, so that templates/admin/app_list.html marks them (WCAG 3.1.2)."""
    if translation.get_language() == settings.LANGUAGE_CODE:
        return app_list
    for app in app_list:
        if app.get("app_url") and _untranslated(apps.get_app_config(app["app_label"]).verbose_name):
            app["lang"] = settings.LANGUAGE_CODE
        for model in app["models"]:
            if _untranslated(model["model"]._meta.verbose_name_plural):
                model["lang"] = settings.LANGUAGE_CODE
    return app_list
