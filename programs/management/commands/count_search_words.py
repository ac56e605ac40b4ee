"""Count the school search's vocabulary again from every school (programs/search.py: refresh_search_words)."""

from django.core.management.base import BaseCommand

from programs.search import refresh_search_words


class Command(BaseCommand):
    help = (
        "Count again the words of every school's name, city and district, the vocabulary of the school search's "
        "spelling help and of its written-out prefixes. Words no school uses any more are dropped. Saving a "
        "school in the admin and the importers keep it current; run this after loading schools any other way "
        "(loaddata, SQL), or now and then to drop old words."
    )

    def handle(self, *args, **options):
        words = refresh_search_words()
        self.stdout.write(f"Counted {words:,} words of the schools' names, cities and districts.")
