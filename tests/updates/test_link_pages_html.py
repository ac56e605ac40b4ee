"""The pages the subscription emails' signed links lead to (not in tests/public_pages.py: their
addresses are made per subscriber) are valid HTML too, in both languages."""

import pytest

from tests.factories import ProgramFactory, SubscriptionFactory
from tests.sro_site.test_html_valid import require_checker, vnu_errors
from updates import links

pytestmark = pytest.mark.django_db


def test_the_confirm_manage_and_unsubscribe_pages_are_valid_html(client, tmp_path, settings):
    require_checker()
    settings.SITE_URL = "http://testserver"
    program = ProgramFactory()
    pages = {}
    for language in ["en", "es"]:
        subscription = SubscriptionFactory(program=program, requested_language=language, subscriber__language=language)
        path = {
            kind: url.removeprefix("http://testserver")
            for kind, url in [
                ("confirm", links.confirm_url(subscription)),
                ("manage", links.manage_url(subscription.subscriber)),
                ("unsubscribe", links.unsubscribe_url([subscription.pk], language)),
            ]
        }
        pages[f"confirm-{language}"] = client.get(path["confirm"])
        pages[f"confirmed-{language}"] = client.post(path["confirm"])
        pages[f"manage-{language}"] = client.get(path["manage"])
        pages[f"unsubscribe-{language}"] = client.get(path["unsubscribe"])
        pages[f"unsubscribed-{language}"] = client.post(path["unsubscribe"])
        pages[f"manage-nothing-left-{language}"] = client.get(path["manage"])
    files = []
    for name, response in pages.items():
        assert response.status_code == 200, name
        file = tmp_path / f"{name}.html"
        file.write_bytes(response.content)
        files.append(str(file))
    assert vnu_errors(files) == []
