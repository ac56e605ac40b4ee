from django.urls import path

from . import views

app_name = "agreements"

urlpatterns = [
    path("programs/<slug:slug>/agreements/", views.program_agreements, name="program_agreements"),
]
