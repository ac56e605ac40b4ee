"""The whole open-data API against its own OpenAPI description (Schemathesis):
whatever a client sends, valid or not, the answer is never a server error, its
status is one the description lists, and its body matches the schema given.

Examples are bounded (MAX_EXAMPLES per operation) so the test stays well under
a minute; the data is a small county with one of everything, a draft beside it.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from programs.models import Program
from sro_site.wsgi import application
from tests.factories import (
    AgreementFactory,
    AssignmentFactory,
    EducationTopicFactory,
    FigureSetFactory,
    OfficerFactory,
    OutcomeFactory,
    PartnershipFactory,
    ProgramFactory,
    SchoolFactory,
)

MAX_EXAMPLES = 15


# Read once from the running application; it needs no database, only the code.
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@pytest.fixture
def same_connection():
    """Requests go through the WSGI application, not Django's test client: like the client, keep the
    test's database connection (and its transaction) open between requests instead of closing it."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def county(db, settings, same_connection):
    settings.API_RATE_LIMIT = 100_000  # the fuzzing is one address asking fast
    program = ProgramFactory(contact_email="sro@example.org")
    school = SchoolFactory(agency=program.agency, nces_id="290003000001")
    AssignmentFactory(officer=OfficerFactory(agency=program.agency), school=school)
    OutcomeFactory(program=program)
    AgreementFactory(partnership=PartnershipFactory(program=program))
    FigureSetFactory(program=program, figures={"referrals": {"count": 12, "by": {"school": {str(school.pk): 12}}}})
    program.topics.add(EducationTopicFactory())
    ProgramFactory(status=Program.Status.DRAFT)
    return program


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_the_api_keeps_to_its_openapi_description(county, case):
    case.call_and_validate(
        checks=[not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
    )
