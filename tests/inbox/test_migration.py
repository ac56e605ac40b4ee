"""The inbox's move out of `programs` keeps every request, and who may read them: the rows
stay in their table, and the content type moves with its permissions (the editors' group),
the staff's own grants and the admin's log. Forward and back, on the database the suite runs
on (SQLite; PostgreSQL with DATABASE_URL)."""

from datetime import date

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from accounts.editors import EDITORS_GROUP, editors_group
from inbox.models import Submission
from officer_feedback.models import Feedback
from tests.factories import EducationTopicFactory, OfficerFactory, ProgramFactory, SchoolFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE_THE_MOVE = [("inbox", None), ("programs", "0022_photo_descriptions_required_in_english")]
AFTER_THE_MOVE = [("inbox", "0001_submission_from_programs"), ("programs", "0023_submission_moves_to_inbox")]


def migrate(targets):
    """Migrate to `targets`; the models as they are there."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    ContentType.objects.clear_cache()
    return MigrationExecutor(connection).loader.project_state([t for t in targets if t[1]]).apps


def submission_type():
    return ContentType.objects.get(model="submission")


@pytest.fixture
def latest_afterwards():
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())  # the next tests' database
    ContentType.objects.clear_cache()


def test_requests_and_their_permissions_survive_the_move_to_the_inbox_and_back(latest_afterwards):
    program = ProgramFactory()
    officer, school, topic = (
        OfficerFactory(agency=program.agency),
        SchoolFactory(agency=program.agency),
        EducationTopicFactory(),
    )
    complaint = Feedback.objects.create(program=program, kind="complaint", what_happened="He shouted.", email="")
    editors_group()
    handler = UserFactory(is_staff=True)

    old = migrate(BEFORE_THE_MOVE)
    old_type = submission_type()
    assert old_type.app_label == "programs"
    old_submission = old.get_model("programs", "Submission")
    request = old_submission.objects.create(
        program_id=program.pk,
        kind="presentation",
        reference="ABCD2345",
        name="Pat Teacher",
        email="pat@school.example.org",
        school_id=school.pk,
        topic_id=topic.pk,
        preferred_date_1=date(2027, 3, 15),
        audience_size=30,
        status="closed",
        assigned_officer_id=officer.pk,
        staff_notified_at="2026-12-01T10:00:00Z",
        notification_attempts=1,
        language="es",
    )
    handler.user_permissions.add(Permission.objects.get(content_type=old_type, codename="change_submission"))
    LogEntry.objects.create(
        user=handler, content_type=old_type, object_id=str(request.pk), object_repr="ABCD2345", action_flag=CHANGE
    )

    migrate(AFTER_THE_MOVE)
    moved = Submission.objects.get(pk=request.pk)
    assert (moved.reference, moved.name, moved.program, moved.school, moved.topic) == (
        "ABCD2345",
        "Pat Teacher",
        program,
        school,
        topic,
    )
    assert (moved.assigned_officer, moved.status, moved.language, moved.audience_size) == (officer, "closed", "es", 30)
    assert Feedback.objects.get() == complaint
    new_type = submission_type()
    assert (new_type.pk, new_type.app_label) == (old_type.pk, "inbox")
    assert ContentType.objects.get_for_model(Submission) == new_type
    handler = type(handler).objects.get(pk=handler.pk)  # no cached permissions
    assert handler.has_perm("inbox.change_submission")
    assert {"inbox.view_submission", "inbox.change_submission"} <= {
        f"{p.content_type.app_label}.{p.codename}" for p in Group.objects.get(name=EDITORS_GROUP).permissions.all()
    }
    assert LogEntry.objects.get().get_edited_object() == moved

    back = migrate(BEFORE_THE_MOVE)
    assert submission_type().app_label == "programs"
    assert back.get_model("programs", "Submission").objects.get(pk=request.pk).name == "Pat Teacher"
    assert Permission.objects.filter(content_type__app_label="programs", codename="view_submission").exists()
