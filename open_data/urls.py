from django.urls import path

from . import views
from .api import api

app_name = "open_data"

urlpatterns = [
    path("open-data/", views.open_data, name="open_data"),
    path("open-data/api/", views.api_reference, name="api_reference"),
    path("open-data/<slug:key>.csv", views.dataset_csv, name="csv"),
    path("data.json", views.catalog, name="catalog"),
]

# The API itself, under its own namespace (open_data_api:), as django-ninja builds it.
api_urlpatterns = [path("api/v1/", api.urls)]
