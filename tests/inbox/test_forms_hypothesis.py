"""Random and hostile input at both public forms: never a server error, never
a partial row, and nothing stored unless the whole submission is valid."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inbox.models import Submission
from tests.factories import EducationTopicFactory, ProgramFactory, SchoolFactory

pytestmark = pytest.mark.django_db

HOSTILE_TEXT = st.one_of(
    st.text(max_size=300),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=50),
    st.text(alphabet=st.characters(max_codepoint=31), max_size=20),  # control characters, NUL included
    st.sampled_from(
        [
            "<script>alert(1)</script>",
            "'; DROP TABLE programs_submission; --",
            '" OR 1=1 --',
            "x" * 6000,
            "𝕳𝖊𝖑𝖑𝖔 👮\u202e\u200b",
            "{{ settings.SECRET_KEY }}",
            "%(name)s %s %n",
            "",
            " ",
        ]
    ),
)
FIELD_VALUE = st.one_of(HOSTILE_TEXT, st.integers().map(str), st.dates().map(str), st.just("other"))
EXAMPLES = 150
HYPOTHESIS = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture
def program(settings):
    settings.FORM_RATE_LIMIT = 10**6  # the rate limit has its own tests
    program = ProgramFactory(contact_email="sro@example.org")
    program.topics.add(EducationTopicFactory())
    SchoolFactory(agency=program.agency)
    return program


def post_and_check(client, url, data):
    before = Submission.objects.count()
    response = client.post(url, data)
    after = Submission.objects.count()
    # The program exists and the rate limit is lifted: a form page again, or the redirect to thanks.
    assert response.status_code in (200, 302), response.status_code
    if response.status_code == 302:
        assert after - before in (0, 1)  # 0: the honeypot caught it
        if after > before:
            saved = Submission.objects.order_by("-pk").first()
            saved.full_clean()  # what was stored is valid as a whole
    else:
        assert after == before


def presentation_data(program, values):
    future = (timezone.localdate() + timedelta(days=3)).isoformat()
    base = {
        "name": "A",
        "email": "a@example.org",
        "school_choice": str(program.agency.schools.get().pk),
        "topic": str(program.topics.get().pk),
        "preferred_date_1": future,
    }
    return {**base, **values}


FIELDS = [
    "name",
    "email",
    "phone",
    "school_choice",
    "other_school",
    "topic",
    "preferred_date_1",
    "preferred_date_2",
    "preferred_date_3",
    "grade_level",
    "audience_size",
    "message",
    "website",
    "unexpected_field",
]


QUESTION_FIELDS = ["name", "email", "phone", "message", "wants_reply", "website", "other"]


@HYPOTHESIS
@given(values=st.dictionaries(st.sampled_from(FIELDS), FIELD_VALUE, max_size=8), drop=st.sets(st.sampled_from(FIELDS)))
def test_presentation_form_survives_any_input(client, program, values, drop):
    data = {k: v for k, v in presentation_data(program, values).items() if k not in drop}
    post_and_check(client, reverse("programs:request_presentation", args=[program.slug]), data)


@HYPOTHESIS
@given(
    values=st.dictionaries(
        st.sampled_from(["name", "email", "phone", "message", "wants_reply", "website", "other"]),
        FIELD_VALUE,
        max_size=7,
    )
)
def test_question_form_survives_any_input(client, program, values):
    data = {"name": "A", "email": "a@example.org", "message": "Hi", "wants_reply": "yes", **values}
    post_and_check(client, reverse("programs:ask_question", args=[program.slug]), data)


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(slug=st.text(min_size=1, max_size=60).filter(lambda s: "/" not in s and s.strip()))
def test_unknown_program_slugs_give_404_never_500(client, program, slug):
    response = client.post(f"/programs/{slug}/ask-a-question/", {"name": "A"})
    assert response.status_code in (404, 301, 302)


SUBSCRIBE_FIELDS = ["email", "frequency", "website", "other"]


@HYPOTHESIS
@given(
    values=st.dictionaries(st.sampled_from(SUBSCRIBE_FIELDS), FIELD_VALUE, max_size=4),
    where=st.sampled_from(["program", "state"]),
)
def test_subscribe_form_survives_any_input(client, program, values, where):
    """The updates' subscribe form (updates/): a page again, or the redirect to "check your email",
    and a subscription stored only whole and unconfirmed."""
    from updates.models import Subscription

    url = (
        reverse("updates:subscribe_program", args=[program.slug])
        if where == "program"
        else reverse("updates:subscribe_state", args=[program.agency.state.code.lower()])
    )
    before = Subscription.objects.count()
    response = client.post(url, {"email": "a@example.org", "frequency": "weekly", **values})
    assert response.status_code in (200, 302), response.status_code
    if response.status_code == 200:
        assert Subscription.objects.count() == before
    for subscription in Subscription.objects.select_related("subscriber"):
        subscription.subscriber.full_clean()
        subscription.full_clean()
        assert subscription.confirmed_at is None
