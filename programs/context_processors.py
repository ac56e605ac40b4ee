from django.conf import settings


def site(request):
    """Site-wide wording that templates need on every page."""
    return {
        "SITE_NAME": settings.SITE_NAME,
        "SITE_BANNER_TEXT": settings.SITE_BANNER_TEXT,
        "SITE_OPERATOR": settings.SITE_OPERATOR,
    }
