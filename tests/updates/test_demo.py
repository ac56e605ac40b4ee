"""The demo's example updates (updates/demo.py, composed by load_demo)."""

from io import StringIO

import pytest
from django.core.management import call_command

from updates.models import OutgoingEmail, Update

pytestmark = pytest.mark.django_db


def test_each_county_has_three_example_updates_one_an_event_in_both_languages(client):
    call_command("load_demo", stdout=StringIO())
    call_command("load_demo", "--reset", stdout=StringIO())  # replaced, not added to
    for slug in ["st-charles-county", "jefferson-county"]:
        updates = Update.objects.filter(program__slug=slug)
        assert updates.count() == 3 and all(u.is_example and u.is_published and u.title_es for u in updates)
        assert updates.filter(event_start__isnull=False).count() == 1
        page = client.get(f"/programs/{slug}/").content.decode()
        news = page[page.index('id="news"') : page.index('id="on-this-page"')]
        assert news.count('class="update-item') == 3 == news.count('<span class="usa-tag">Example</span></h3>')
    spanish_page = client.get("/es/programs/jefferson-county/").content.decode()
    assert "Ejemplo: Café con los oficiales de recursos escolares" in spanish_page
    assert not OutgoingEmail.objects.exists()
