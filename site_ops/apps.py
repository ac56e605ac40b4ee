from django.apps import AppConfig


class SiteOpsConfig(AppConfig):
    """Plumbing for whoever runs the site: metrics (/metrics), error reporting (Sentry), and what
    /healthz warns about. It knows nothing about SRO programs beyond the outboxes they register."""

    name = "site_ops"
    verbose_name = "Site operations"
