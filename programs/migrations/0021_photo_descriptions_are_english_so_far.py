# The photo descriptions and captions written so far are English: they become the English version
# of each (as 0018 did for the other translated fields). A migration of its own, after 0020's new
# columns, for the reason 0018 gives (PostgreSQL's pending trigger events).

from django.db import migrations
from django.db.models import F

# The fields 0020 translated: a copy, not an import of programs/models/translated.py (see 0018).
TRANSLATED = {
    "officer": ("photo_alt",),
    "photo": ("alt_text", "caption"),
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
        ("programs", "0020_photo_descriptions_in_each_language"),
    ]

    operations = [
        migrations.RunPython(english_from_the_content_so_far, content_back_from_english),
    ]
