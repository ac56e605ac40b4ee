"""The school search's vocabulary counted again: it now keeps every word of 3 characters or more that
begins with a letter ("charles2", and words longer than 30), and folds "Łódź" as PostgreSQL does ('lodz'),
since on PostgreSQL the search writes a prefix out as the vocabulary's words it starts (programs/search.py)."""

from collections import Counter

from django.db import migrations

from programs.search import vocabulary_words


def count_words_again(apps, schema_editor):
    db = schema_editor.connection.alias
    school = apps.get_model("programs", "School")
    word = apps.get_model("programs", "SearchWord")
    counts = Counter()
    for name, city, district in school.objects.using(db).values_list("name", "city", "district").iterator():
        counts.update(vocabulary_words(name, city, district))
    word.objects.using(db).all().delete()
    word.objects.using(db).bulk_create([word(word=w, schools=n) for w, n in counts.items()], batch_size=2000)


class Migration(migrations.Migration):
    dependencies = [
        ("programs", "0018_spanish_content_is_english_so_far"),
    ]

    # Undone, the larger vocabulary stays: the words it adds are harmless to the older search.
    operations = [migrations.RunPython(count_words_again, migrations.RunPython.noop)]
