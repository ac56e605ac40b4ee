from django.urls import path

from . import site_policies, views

app_name = "programs"

urlpatterns = [
    path("", views.home, name="home"),
    path("programs/<slug:slug>/", views.program_detail, name="program_detail"),
    path("programs/<slug:slug>/contact.vcf", views.program_vcard, name="program_vcard"),
    path("states/<slug:code>/", views.state_detail, name="state_detail"),
    path("topics/", views.topic_list, name="topic_list"),
    path("topics/<slug:slug>/", views.topic_detail, name="topic_detail"),
    path("schools/", views.school_search, name="school_search"),
    path("schools/<slug:slug>/", views.school_detail, name="school_detail"),
    path("privacy/", site_policies.privacy, name="privacy"),
    path("accessibility/", site_policies.accessibility, name="accessibility"),
]
