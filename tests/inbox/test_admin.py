import csv
import io

import pytest
from django.urls import reverse

from inbox.models import Submission
from tests.factories import OfficerFactory, ProgramFactory

pytestmark = pytest.mark.django_db


def make_submission(**fields):
    defaults = {"program": ProgramFactory(), "kind": Submission.Kind.QUESTION, "name": "Sam", "email": "s@example.org"}
    return Submission.objects.create(**(defaults | fields))


def test_each_submission_gets_a_unique_readable_reference():
    references = {make_submission().reference for _ in range(20)}
    assert len(references) == 20
    assert all(len(r) == 8 and "O" not in r and "0" not in r for r in references)


def test_inbox_filters_by_status(staff_client):
    make_submission(name="Waiting Walter")
    make_submission(name="Closed Clara", status=Submission.Status.CLOSED)
    html = staff_client.get(reverse("admin:inbox_submission_changelist"), {"status__exact": "new"}).content.decode()
    assert "Waiting Walter" in html
    assert "Closed Clara" not in html


def test_admin_index_counts_new_items(staff_client):
    make_submission()
    make_submission()
    make_submission(status=Submission.Status.SCHEDULED)
    assert "2 new requests and questions" in staff_client.get(reverse("admin:index")).content.decode()


def test_csv_export_lists_the_selected_submissions_safely(staff_client):
    first = make_submission(name='=HYPERLINK("http://evil")', message="Hello, officer")
    response = staff_client.post(
        reverse("admin:inbox_submission_changelist"),
        {"action": "export_csv", "_selected_action": [first.pk]},
    )
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:3] == ["Reference", "Received", "Kind"]
    assert rows[1][0] == first.reference
    assert rows[1][5].startswith("'=")  # a formula is neutralised
    assert "Hello, officer" in rows[1]


def test_staff_update_status_officer_and_notes_but_not_what_was_sent(staff_client):
    submission = make_submission(message="Original words")
    url = reverse("admin:inbox_submission_change", args=[submission.pk])
    response = staff_client.post(
        url, {"status": "scheduled", "assigned_officer": "", "internal_notes": "Booked for May 2", "message": "Edited"}
    )
    assert response.status_code == 302
    submission.refresh_from_db()
    assert (submission.status, submission.internal_notes, submission.message) == (
        "scheduled",
        "Booked for May 2",
        "Original words",
    )


def test_only_an_officer_of_the_programs_agency_can_be_assigned(staff_client):
    submission = make_submission()
    own = OfficerFactory(agency=submission.program.agency)
    elsewhere = OfficerFactory()
    url = reverse("admin:inbox_submission_change", args=[submission.pk])
    refused = staff_client.post(url, {"status": "in_progress", "assigned_officer": elsewhere.pk})
    assert refused.status_code == 200 and "Select a valid choice" in refused.content.decode()
    assert staff_client.post(url, {"status": "in_progress", "assigned_officer": own.pk}).status_code == 302
    submission.refresh_from_db()
    assert submission.assigned_officer == own


def test_the_inbox_s_old_admin_addresses_lead_to_the_new_ones(staff_client):
    submission = make_submission()
    old = f"/admin/programs/submission/{submission.pk}/change/?_changelist_filters=status__exact%3Dnew"
    response = staff_client.get(old)
    assert response.status_code == 301
    assert response["Location"] == reverse("admin:inbox_submission_change", args=[submission.pk]) + (
        "?_changelist_filters=status__exact%3Dnew"
    )
    assert staff_client.get("/admin/programs/submission/")["Location"] == reverse("admin:inbox_submission_changelist")
