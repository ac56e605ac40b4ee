from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.i18n import set_language
from django.views.static import serve

import inbox.urls
import programs.urls
from accounts import passkeys
from open_data.urls import api_urlpatterns
from programs.views import favicon, robots_txt, sitemap_index, sitemap_section
from site_ops.health import healthz
from site_ops.metrics import metrics

urlpatterns = [
    # Staff sign-in, set-up, invitations and resets, then passkey ceremonies
    # (under the name django-otp-webauthn's template tags reverse), then the admin.
    path(settings.ADMIN_URL, include("accounts.urls")),
    # Staff choose the admin's language (a cookie; the public pages' language is their address's).
    path(settings.ADMIN_URL + "language/", set_language, name="set_language"),
    path(settings.ADMIN_URL + "passkeys/", include((passkeys.urlpatterns, "otp_webauthn"))),
    path(settings.ADMIN_URL, include(inbox.urls.old_admin_urlpatterns)),
    path(settings.ADMIN_URL, admin.site.urls),
    path("sitemap.xml", sitemap_index, name="sitemap"),
    path("sitemap-<slug:section>.xml", sitemap_section, name="sitemap_section"),
    path("robots.txt", robots_txt, name="robots_txt"),
    path("healthz", healthz, name="healthz"),
    path("metrics", metrics, name="metrics"),
    # Browsers ask for /favicon.ico whatever the page says.
    path("favicon.ico", favicon),
]
# The public pages, in English at their usual addresses and in Spanish under /es/.
urlpatterns += i18n_patterns(
    path("", include("program_data.urls")),
    # The program pages and their public forms (inbox/), under one name: `programs:`.
    path("", include((programs.urls.urlpatterns + inbox.urls.urlpatterns, programs.urls.app_name))),
    path("", include("agreements.urls")),
    path("", include("officer_feedback.urls")),
    path("", include("open_data.urls")),
    path("", include("updates.urls")),
    prefix_default_language=False,
)
# The API's addresses are the same in every language.
urlpatterns += api_urlpatterns

if settings.SERVE_MEDIA:
    # Uploaded photos and MOU PDFs for a single-host install; a larger
    # deployment serves MEDIA_ROOT from shared storage or a CDN instead.
    media_prefix = settings.MEDIA_URL.lstrip("/")
    urlpatterns += [re_path(rf"^{media_prefix}(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT})]

handler404 = "programs.views.page_not_found"
handler403 = "programs.views.permission_denied"
