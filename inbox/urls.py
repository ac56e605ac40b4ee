"""The program page's public forms. Their names are the program pages' (`programs:ask_question`...),
under which templates and links have always reversed them: sro_site/urls.py includes these
in the `programs` namespace."""

from django.conf import settings
from django.urls import path, re_path
from django.views.generic import RedirectView

from . import views

urlpatterns = [
    path(
        "programs/<slug:slug>/request-a-presentation/",
        views.request_presentation,
        name="request_presentation",
    ),
    path("programs/<slug:slug>/ask-a-question/", views.ask_question, name="ask_question"),
    path(
        "programs/<slug:slug>/report-an-accessibility-barrier/",
        views.report_barrier,
        name="report_barrier",
    ),
    path("programs/<slug:slug>/thank-you/<str:token>/", views.thanks, name="form_thanks"),
]


# The inbox's admin pages were under /admin/programs/submission/ until the inbox became an
# app of its own: bookmarks and links in old emails still lead there. Under ADMIN_URL.
old_admin_urlpatterns = [
    re_path(
        r"^programs/submission/(?P<rest>.*)$",
        RedirectView.as_view(url=f"/{settings.ADMIN_URL}inbox/submission/%(rest)s", permanent=True, query_string=True),
    ),
]
