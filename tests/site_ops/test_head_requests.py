"""HEAD: a GET's headers, no body, and nothing changed for the GETs that follow."""

import pytest
from django.http import FileResponse, HttpResponse
from django.test import RequestFactory

from site_ops.head_requests import HeadWithoutBodyMiddleware


def answer_with(response):
    return HeadWithoutBodyMiddleware(lambda request: response)


def test_a_head_response_keeps_the_length_of_the_body_it_drops():
    response = answer_with(HttpResponse("x" * 1234))(RequestFactory().head("/"))
    assert response.content == b""
    assert response.headers["Content-Length"] == "1234"


def test_a_streamed_head_response_sends_nothing():
    response = answer_with(FileResponse(iter([b"a", b"b"])))(RequestFactory().head("/"))
    assert b"".join(response.streaming_content) == b""


def test_a_get_keeps_its_body():
    assert answer_with(HttpResponse("page"))(RequestFactory().get("/")).content == b"page"


@pytest.mark.django_db
def test_a_page_first_asked_for_with_head_is_whole_for_the_get_after_it(client):
    """The page cache stores what a GET would get: HEAD drops the body only on the way out."""
    from tests.factories import ProgramFactory

    program = ProgramFactory()
    assert client.head(program.get_absolute_url()).status_code == 200
    response = client.get(program.get_absolute_url())
    assert response.status_code == 200 and program.name.encode() in response.content
