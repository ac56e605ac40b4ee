from django.db import migrations, models
from django.db.models import F


def mark_announced(apps, schema_editor):
    """Published updates of published programs had their emails queued when they were published;
    those of draft programs have waited for their program, and go out when it is published."""
    Update = apps.get_model("updates", "Update")
    Update.objects.filter(status="published", program__status="published").update(announced_at=F("published_at"))


class Migration(migrations.Migration):

    dependencies = [
        ('updates', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='update',
            name='announced_at',
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.RunPython(mark_announced, migrations.RunPython.noop, elidable=True),
    ]
