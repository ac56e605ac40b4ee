"""Paragraphs typed in the admin stay paragraphs on the public pages, whatever the line endings:
a browser sends a textarea's line breaks as \\r\\n."""

import pytest

from programs.text import paragraphs
from tests.factories import ProgramFactory, UpdateFactory

TYPED_IN_A_BROWSER = "Officers teach.\r\n\r\nThey also mentor.\r\n \r\nAnd they coach."


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("One.\n\nTwo.", ["One.", "Two."]),
        ("One.\r\n\r\nTwo.", ["One.", "Two."]),
        ("One.\r\rTwo.", ["One.", "Two."]),
        ("One.\n   \nTwo.\n\n\n\nThree.", ["One.", "Two.", "Three."]),
        ("One line\r\nand the next, one paragraph.", ["One line\nand the next, one paragraph."]),
        ("", []),
        (None, []),
    ],
)
def test_paragraphs_are_split_at_blank_lines_whatever_the_line_endings(text, expected):
    assert paragraphs(text) == expected


@pytest.mark.django_db
def test_an_overview_saved_from_the_admin_keeps_its_paragraphs_on_the_program_page(client):
    program = ProgramFactory(overview=TYPED_IN_A_BROWSER)
    page = client.get(program.get_absolute_url()).content.decode()
    assert "<p>Officers teach.</p>" in page.replace(' lang="en"', "")
    assert "<p>And they coach.</p>" in page.replace(' lang="en"', "")


@pytest.mark.django_db
def test_an_updates_text_saved_from_the_admin_keeps_its_paragraphs(client):
    update = UpdateFactory(text=TYPED_IN_A_BROWSER)
    page = client.get(update.get_absolute_url()).content.decode()
    assert page.count("They also mentor.") == 1
    assert "\r\n\r\n" not in page
    assert update.paragraphs == ["Officers teach.", "They also mentor.", "And they coach."]
