"""The MOU date and PDF that partnerships carried before agreements had their own
records become each partnership's first agreement, so nothing published before
disappears from the program page. A partnership with a PDF but no date is left
as it was (an agreement needs the date it took effect): its fields stay in place."""

from django.db import migrations


def copy_partnership_mous(apps, schema_editor):
    Partnership = apps.get_model("programs", "Partnership")
    Agreement = apps.get_model("agreements", "Agreement")
    for partnership in Partnership.objects.exclude(mou_signed_on=None):
        if Agreement.objects.filter(partnership=partnership).exists():
            continue
        size = None
        if partnership.mou_document:
            try:
                size = partnership.mou_document.size
            except OSError:
                size = None
        Agreement.objects.create(
            partnership=partnership,
            signed_on=partnership.mou_signed_on,
            effective_on=partnership.mou_signed_on,
            document=partnership.mou_document.name if partnership.mou_document else "",
            document_size=size,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("agreements", "0001_initial"),
        ("programs", "0013_list_order_indexes"),
    ]

    operations = [migrations.RunPython(copy_partnership_mous, migrations.RunPython.noop)]
