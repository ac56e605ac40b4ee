"""Load the demo site: the two seed counties (programs/demo.py), then each app's
examples for them (agreements, training, yearly figures, complaint contacts, updates) and
the same content in Spanish. The project composes it, since it alone knows every app.

`make run` runs it every time, so without options it writes only into an
empty site and leaves a site with content alone: staff's edits, added records
and deletions survive. `--reset` brings the demo records back to the demo
content (found by their natural keys: slugs, names, order), recreating deleted
ones and undoing edits to them; running it twice changes nothing.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from agreements import demo as agreements_demo
from officer_feedback import demo as officer_feedback_demo
from program_data import demo as program_data_demo
from programs import demo, demo_spanish
from training import demo as training_demo
from updates import demo as updates_demo


class Command(BaseCommand):
    help = (
        "Load the demo content for St. Charles County and Jefferson County into a site that has none yet. "
        "With --reset, bring the demo records back to the demo content, undoing edits to them."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Bring the demo records back to the demo content even if the site has content: "
            "edits to them are lost and deleted ones come back. Other records are left alone.",
        )

    @transaction.atomic
    def handle(self, *args, reset=False, **options):
        if not reset and demo.site_has_content():
            self.stdout.write(
                "The site already has content: nothing was changed. "
                "`manage.py load_demo --reset` brings the demo records back, undoing edits to them."
            )
            return
        state, topics = demo.load_state_and_topics()
        for county in demo.COUNTIES:
            program, example_officer = demo.load_county(county, state, topics)
            # Each app's examples: districts with agreements, the example officer's training,
            # two school years of made-up figures, three updates; all labelled as examples.
            agreements_demo.load(program)
            training_demo.load(example_officer)
            program_data_demo.load_example_figures(program)
            updates_demo.load(program)  # three example updates, one of them an event
            self.stdout.write(f"Loaded {program.page_title}: {program.get_absolute_url()}")
        officer_feedback_demo.load()  # example complaint contacts: professional standards, school districts
        demo_spanish.load()  # the same content in Spanish, as staff would enter it in the admin
        self.stdout.write(self.style.SUCCESS("Demo data is loaded."))
