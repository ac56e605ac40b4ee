from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.static import serve

admin.site.site_header = "SRO program site: staff editing"
admin.site.site_title = "SRO staff editing"
admin.site.index_title = "Program content"

urlpatterns = [
    path(settings.ADMIN_URL, admin.site.urls),
    path("", include("programs.urls")),
]

if settings.SERVE_MEDIA:
    # Uploaded photos and MOU PDFs for a single-host install; a larger
    # deployment serves MEDIA_ROOT from shared storage or a CDN instead.
    media_prefix = settings.MEDIA_URL.lstrip("/")
    urlpatterns += [re_path(rf"^{media_prefix}(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT})]

handler404 = "programs.views.page_not_found"
