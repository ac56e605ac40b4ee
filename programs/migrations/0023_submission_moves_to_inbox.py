"""`Submission` moves to the inbox app (inbox/migrations/0001): `programs` forgets the model,
its table and rows stay where they are. Nothing happens in the database."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("programs", "0022_photo_descriptions_required_in_english"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="Submission")],
            database_operations=[],
        ),
    ]
