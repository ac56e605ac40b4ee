"""`Submission` comes from `programs` (programs/migrations/0023), with its table
(`programs_submission`, kept) and every row in it. Only Django's own record of the
model moves: its content type, and with it the permissions the editors' group and
any staff member hold on it, and the admin's history of each submission."""

import django.db.models.deletion
import django.utils.timezone
import phonenumber_field.modelfields
from django.db import migrations, models


def move_content_type(from_app, to_app):
    def move(apps, schema_editor):
        ContentType = apps.get_model("contenttypes", "ContentType")
        db = schema_editor.connection.alias
        types = ContentType.objects.using(db)
        if not types.filter(app_label=to_app, model="submission").exists():
            types.filter(app_label=from_app, model="submission").update(app_label=to_app)

    return move


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("programs", "0023_submission_moves_to_inbox"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Submission",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("reference", models.CharField(editable=False, max_length=12, unique=True)),
                        ("created_at", models.DateTimeField(default=django.utils.timezone.now, editable=False)),
                        ("language", models.CharField(default="en", editable=False, max_length=10)),
                        ("staff_notified_at", models.DateTimeField(blank=True, editable=False, null=True)),
                        ("requester_confirmed_at", models.DateTimeField(blank=True, editable=False, null=True)),
                        ("notification_attempts", models.PositiveSmallIntegerField(default=0, editable=False)),
                        ("last_notification_error", models.CharField(blank=True, editable=False, max_length=500)),
                        (
                            "next_notification_at",
                            models.DateTimeField(
                                blank=True, editable=False, null=True, verbose_name="next email attempt"
                            ),
                        ),
                        (
                            "closed_at",
                            models.DateTimeField(blank=True, editable=False, null=True, verbose_name="closed at"),
                        ),
                        (
                            "personal_data_erased_at",
                            models.DateTimeField(
                                blank=True, editable=False, null=True, verbose_name="personal data erased at"
                            ),
                        ),
                        (
                            "kind",
                            models.CharField(
                                choices=[
                                    ("presentation", "Presentation request"),
                                    ("question", "Question or comment"),
                                    ("accessibility", "Accessibility barrier"),
                                ],
                                max_length=20,
                            ),
                        ),
                        ("name", models.CharField(max_length=100)),
                        ("email", models.EmailField(max_length=254)),
                        (
                            "phone",
                            phonenumber_field.modelfields.PhoneNumberField(blank=True, max_length=128, region=None),
                        ),
                        ("message", models.TextField(blank=True, max_length=5000)),
                        ("wants_reply", models.BooleanField(default=True, verbose_name="wants a reply")),
                        ("other_school", models.CharField(blank=True, max_length=150, verbose_name="other school")),
                        (
                            "preferred_date_1",
                            models.DateField(blank=True, null=True, verbose_name="first choice of date"),
                        ),
                        (
                            "preferred_date_2",
                            models.DateField(blank=True, null=True, verbose_name="second choice of date"),
                        ),
                        (
                            "preferred_date_3",
                            models.DateField(blank=True, null=True, verbose_name="third choice of date"),
                        ),
                        ("grade_level", models.CharField(blank=True, max_length=50, verbose_name="grade level")),
                        (
                            "audience_size",
                            models.PositiveSmallIntegerField(
                                blank=True, null=True, verbose_name="approximate audience size"
                            ),
                        ),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("new", "New"),
                                    ("in_progress", "In progress"),
                                    ("scheduled", "Scheduled"),
                                    ("closed", "Closed"),
                                ],
                                default="new",
                                max_length=20,
                            ),
                        ),
                        (
                            "internal_notes",
                            models.TextField(blank=True, help_text="Seen by staff only, never by the requester."),
                        ),
                        (
                            "assigned_officer",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="submissions",
                                to="programs.officer",
                            ),
                        ),
                        (
                            "program",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="submissions",
                                to="programs.program",
                            ),
                        ),
                        (
                            "school",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to="programs.school",
                            ),
                        ),
                        (
                            "topic",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to="programs.educationtopic",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "programs_submission",
                        "ordering": ["-created_at"],
                        "abstract": False,
                        "indexes": [
                            models.Index(fields=["status", "created_at"], name="programs_su_status_291985_idx")
                        ],
                        "constraints": [
                            models.CheckConstraint(
                                condition=models.Q(
                                    models.Q(("kind", "presentation"), _negated=True),
                                    ("preferred_date_1__isnull", False),
                                    _connector="OR",
                                ),
                                name="presentation_request_has_a_date",
                            ),
                            models.CheckConstraint(
                                condition=models.Q(
                                    ("audience_size__isnull", True), ("audience_size__gte", 1), _connector="OR"
                                ),
                                name="audience_size_is_positive",
                            ),
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_type("programs", "inbox"), move_content_type("inbox", "programs")),
    ]
