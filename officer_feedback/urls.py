from django.urls import path

from . import views

app_name = "officer_feedback"

urlpatterns = [
    path(
        "programs/<slug:slug>/compliment-or-complain/",
        views.compliment_or_complain,
        name="compliment_or_complain",
    ),
    path("programs/<slug:slug>/compliment-or-complain/thank-you/<str:token>/", views.thanks, name="thanks"),
]
