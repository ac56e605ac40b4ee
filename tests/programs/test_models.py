from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError

from programs.models import AgencyMembership, Program, current_school_year, format_school_year
from programs.validators import validate_pdf
from tests.factories import (
    AgencyFactory,
    AssignmentFactory,
    OfficerFactory,
    PhotoFactory,
    ProgramFactory,
    SchoolFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def test_program_title_names_the_county_once():
    program = ProgramFactory(agency__county="Jefferson")
    assert program.page_title == "Jefferson County School Resource Officer Program"
    program.name = "Jefferson County SRO Program"
    assert program.page_title == "Jefferson County SRO Program"


def test_program_url_uses_its_slug():
    assert ProgramFactory(slug="st-charles-county").get_absolute_url() == "/programs/st-charles-county/"


def test_published_excludes_drafts():
    published = ProgramFactory()
    ProgramFactory(status=Program.Status.DRAFT)
    assert list(Program.objects.published()) == [published]


def test_drafts_are_previewable_only_by_staff_of_their_agency():
    draft = ProgramFactory(status=Program.Status.DRAFT)
    published_elsewhere = ProgramFactory()
    own_editor = UserFactory(is_staff=True)
    AgencyMembership.objects.create(user=own_editor, agency=draft.agency)
    other_editor = UserFactory(is_staff=True)
    AgencyMembership.objects.create(user=other_editor, agency=published_elsewhere.agency)
    superuser = UserFactory(is_staff=True, is_superuser=True)
    resident = UserFactory(is_staff=False)
    assert draft in Program.objects.visible_to(own_editor)
    assert draft in Program.objects.visible_to(superuser)
    assert draft not in Program.objects.visible_to(other_editor)
    assert draft not in Program.objects.visible_to(resident)
    assert published_elsewhere in Program.objects.visible_to(own_editor)


def test_program_slugs_are_unique():
    ProgramFactory(slug="same")
    with pytest.raises(IntegrityError):
        ProgramFactory(slug="same")


def test_invalid_contact_phone_is_refused():
    program = ProgramFactory.build(agency=AgencyFactory(), contact_phone="12")
    with pytest.raises(ValidationError) as excinfo:
        program.full_clean()
    assert "contact_phone" in excinfo.value.message_dict


def test_officer_photo_needs_alt_text_in_the_form():
    officer = OfficerFactory.build(agency=AgencyFactory(), photo="officers/x.jpg", photo_alt="  ")
    with pytest.raises(ValidationError) as excinfo:
        officer.full_clean()
    assert "photo_alt_en" in excinfo.value.message_dict


def test_officer_photo_needs_alt_text_in_the_database():
    with pytest.raises(IntegrityError):
        OfficerFactory(photo="officers/x.jpg", photo_alt="")


def test_program_photo_needs_alt_text_in_the_database():
    with pytest.raises(IntegrityError):
        PhotoFactory(alt_text="")


def test_an_agency_has_at_most_one_active_supervisor():
    agency = AgencyFactory()
    OfficerFactory(agency=agency, role="supervisor")
    OfficerFactory(agency=agency, role="supervisor", is_active=False)  # a former supervisor is fine
    with pytest.raises(IntegrityError):
        OfficerFactory(agency=agency, role="supervisor")


def test_supervisor_is_the_active_supervisor_of_the_agency():
    program = ProgramFactory()
    OfficerFactory(agency=program.agency, role="sro")
    boss = OfficerFactory(agency=program.agency, role="supervisor")
    assert program.supervisor == boss


def test_assignment_refuses_an_officer_from_another_agency():
    officer = OfficerFactory()
    school = SchoolFactory()  # a different agency
    assignment = AssignmentFactory.build(officer=officer, school=school)
    with pytest.raises(ValidationError):
        assignment.clean()


def test_an_officer_is_assigned_to_a_school_once_per_year():
    assignment = AssignmentFactory()
    with pytest.raises(IntegrityError):
        AssignmentFactory(officer=assignment.officer, school=assignment.school, school_year=assignment.school_year)


@pytest.mark.parametrize(
    ("today", "expected"),
    [(date(2026, 6, 30), 2025), (date(2026, 7, 1), 2026), (date(2027, 1, 15), 2026)],
)
def test_school_year_starts_on_july_first(today, expected):
    assert current_school_year(today) == expected


def test_school_year_is_written_as_a_range():
    assert format_school_year(2026) == "2026–27"
    assert format_school_year(1999) == "1999–00"


def test_pdf_validator_accepts_a_pdf():
    validate_pdf(SimpleUploadedFile("mou.pdf", b"%PDF-1.7\n...", content_type="application/pdf"))


def test_pdf_validator_refuses_a_renamed_file():
    with pytest.raises(ValidationError, match="not a PDF"):
        validate_pdf(SimpleUploadedFile("mou.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf"))


def test_str_of_each_model_is_readable():
    assignment = AssignmentFactory(officer__first_name="Zachary", officer__last_name="Faulkner", school__name="Hill")
    assert str(assignment).startswith("Zachary Faulkner at Hill (")
    assert str(assignment.officer.agency).endswith("Sheriff's Office")
