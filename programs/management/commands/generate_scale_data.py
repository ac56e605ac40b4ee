"""Generate a synthetic data set of national size (see programs/scale_data.py), to test the site at scale."""

import time

from django.core.management.base import BaseCommand, CommandError

from programs.scale_data import GENERATED_SLUG_PREFIX, ScaleDataError, generate


class Command(BaseCommand):
    help = (
        "Add a synthetic data set of the given size across the 50 states and DC: agencies named 'Example NNNN "
        "County...', their programs, schools and officers, all marked as examples. The same seed gives the same "
        f"data. Everything generated hangs off agencies whose slug starts with '{GENERATED_SLUG_PREFIX}'; "
        "the rest of the site is never touched."
    )

    def add_arguments(self, parser):
        parser.add_argument("--agencies", type=int, default=3100, help="Number of agencies (default 3100).")
        parser.add_argument("--schools", type=int, default=100_000, help="Number of schools (default 100000).")
        parser.add_argument("--officers", type=int, default=25_000, help="Number of officers (default 25000).")
        parser.add_argument("--seed", type=int, default=0, help="Seed of the random choices (default 0).")
        parser.add_argument(
            "--replace", action="store_true", help="Delete the data generated before, and generate it anew."
        )

    def handle(self, *args, agencies, schools, officers, seed, replace, **options):
        started = time.monotonic()
        try:
            result = generate(agencies, schools, officers, seed=seed, replace=replace)
        except ScaleDataError as error:
            raise CommandError(f"{error} Nothing was changed.") from error
        if result.replaced:
            removed = ", ".join(f"{count} {label}" for label, count in sorted(result.replaced.items()) if count)
            self.stdout.write(f"Deleted the data generated before: {removed}.")
        if result.states:
            self.stdout.write(f"Added {result.states} states the site did not have.")
        self.stdout.write(
            f"Generated {result.agencies} agencies, {result.programs} programs ({result.draft_programs} drafts), "
            f"{result.schools} schools ({result.vacant_schools} without an officer this school year), "
            f"{result.officers} officers and {result.assignments} assignments in {time.monotonic() - started:.1f} s."
        )
        for kind, names in result.examples.items():
            self.stdout.write(f"  {kind}, e.g.: {'; '.join(names)}")
