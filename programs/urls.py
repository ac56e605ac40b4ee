from django.urls import path

from . import contact_views, site_policies, views

app_name = "programs"

urlpatterns = [
    path("", views.home, name="home"),
    path("programs/<slug:slug>/", views.program_detail, name="program_detail"),
    path("programs/<slug:slug>/contact.vcf", views.program_vcard, name="program_vcard"),
    path(
        "programs/<slug:slug>/request-a-presentation/",
        contact_views.request_presentation,
        name="request_presentation",
    ),
    path("programs/<slug:slug>/ask-a-question/", contact_views.ask_question, name="ask_question"),
    path(
        "programs/<slug:slug>/report-an-accessibility-barrier/",
        contact_views.report_barrier,
        name="report_barrier",
    ),
    path("programs/<slug:slug>/thank-you/<str:token>/", contact_views.thanks, name="form_thanks"),
    path("states/<slug:code>/", views.state_detail, name="state_detail"),
    path("topics/", views.topic_list, name="topic_list"),
    path("topics/<slug:slug>/", views.topic_detail, name="topic_detail"),
    path("schools/", views.school_search, name="school_search"),
    path("schools/<slug:slug>/", views.school_detail, name="school_detail"),
    path("privacy/", site_policies.privacy, name="privacy"),
    path("accessibility/", site_policies.accessibility, name="accessibility"),
]
