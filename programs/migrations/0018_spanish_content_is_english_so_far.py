# The content written so far is English: it becomes the English version of each translated field.
# A migration of its own, after 0017's new columns: on PostgreSQL an update and an ALTER TABLE of the
# same table cannot share a transaction (pending trigger events), which undoing both at once needed.

from django.db import migrations
from django.db.models import F

# The fields translated when this migration was written: a copy of programs/models/translated.py's
# list as it stood, not an import, so that adding a field there later never changes what this does.
TRANSLATED = {
    "program": ("summary", "overview", "mission", "primary_duty"),
    "missionrole": ("name", "description"),
    "goal": ("title", "description"),
    "educationtopic": ("name", "description"),
    "outcome": ("label", "period"),
    "officer": ("bio",),
    "alert": ("title", "message"),
}


def english_from_the_content_so_far(apps, schema_editor):
    for model_name, fields in TRANSLATED.items():
        model = apps.get_model("programs", model_name)
        model.objects.update(**{f"{field}_en": F(field) for field in fields})


def content_back_from_english(apps, schema_editor):
    for model_name, fields in TRANSLATED.items():
        model = apps.get_model("programs", model_name)
        for field in fields:
            model.objects.exclude(**{f"{field}_en": None}).update(**{field: F(f"{field}_en")})



class Migration(migrations.Migration):

    dependencies = [
        ('programs', '0017_spanish'),
    ]

    operations = [
        migrations.RunPython(english_from_the_content_so_far, content_back_from_english),
    ]
