from django.urls import path

from . import views

app_name = "program_data"

urlpatterns = [
    path("programs/<slug:slug>/data/", views.program_data, name="program_data"),
    path("programs/<slug:slug>/data.csv", views.program_data_csv, name="program_data_csv"),
    path("states/<slug:code>/data/", views.state_data, name="state_data"),
    path("states/<slug:code>/data/<int:year>/", views.state_data, name="state_data_year"),
]
