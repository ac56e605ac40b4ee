#!/usr/bin/env python3
"""The school search at size: the top results of a few queries, and how long a search takes.

Fills the database DATABASE_URL names with synthetic schools (the generator
of tests/factories.py, spread over 100 published county programs), then runs
each query as the search page does (the count and the first page of 20) and
prints its top results and the median time of 5 runs. It writes to that
database: give it a throw-away one. It refuses a database holding schools of
its own (anything but its synthetic ones).

    DATABASE_URL=sqlite:////tmp/wt-search-bench.sqlite3 .venv/bin/python bench/search.py --schools 100000
    rm /tmp/wt-search-bench.sqlite3

    createdb -h 127.0.0.1 -U postgres sro_search_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sro_search_bench .venv/bin/python bench/search.py --schools 100000
    dropdb -h 127.0.0.1 -U postgres sro_search_bench
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
QUERIES = [
    "st charles high",
    "hillsboro",
    "hillsbro",
    "espanola",
    "lincoln elem",
    "kansas city",
    "high",
    "hi",
    "atlantis",
]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schools", type=int, default=5000, help="how many synthetic schools (default 5000)")
    parser.add_argument("--top", type=int, default=3, help="results shown per query (default 3)")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL"):
        sys.exit("Set DATABASE_URL to a throw-away database: this fills it with synthetic schools.")
    os.environ.setdefault("SECRET_KEY", "bench-only")
    os.environ.setdefault("ALLOWED_HOSTS", "localhost")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sro_site.settings")
    sys.path.insert(0, str(PROJECT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    fill(args.schools)
    run(args.top)


def fill(count):
    from django.db import connection, transaction

    from programs.models import Agency, Program, School, State
    from programs.search import refresh_search_words
    from tests.factories import synthetic_schools

    if School.objects.exclude(slug__startswith="synthetic-").exists():
        sys.exit("This database has schools of its own: give bench/search.py a throw-away database.")
    existing = School.objects.count()
    if existing and existing != count:
        # Deleting them one by one (signals, history, triggers) takes longer than a new database.
        sys.exit(f"This database has {existing:,} synthetic schools: give a new one for {count:,}.")
    if not existing:
        print(f"Creating {count:,} synthetic schools...", flush=True)
        started = time.perf_counter()
        with transaction.atomic():
            state, _ = State.objects.get_or_create(code="MO", defaults={"name": "Missouri"})
            agencies = list(Agency.objects.filter(slug__startswith="synthetic-"))
            if not agencies:
                agencies = Agency.objects.bulk_create(
                    Agency(
                        name=f"Synthetic County {n} Sheriff",
                        slug=f"synthetic-{n}",
                        county=f"Synthetic {n}",
                        kind=Agency.Kind.SHERIFFS_OFFICE,
                        state=state,
                    )
                    for n in range(100)
                )
                Program.objects.bulk_create(
                    Program(
                        agency=agency,
                        name="School Resource Officer Program",
                        slug=agency.slug,
                        summary=".",
                        overview=".",
                        status=Program.Status.PUBLISHED,
                        contact_division=".",
                        contact_phone="+16365550100",
                    )
                    for agency in agencies
                )
            School.objects.bulk_create(synthetic_schools(count, agencies), batch_size=2000)
            refresh_search_words()  # the spelling help's vocabulary, as the bulk loaders do
        print(f"  {time.perf_counter() - started:.0f} s", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"{connection.vendor}, {School.objects.count():,} schools\n")


def run(top):
    from programs.search import search_schools
    from programs.views import SCHOOLS_PER_PAGE, _schools_with_contacts

    for query in QUERIES:
        timings = []
        for _ in range(5):
            started = time.perf_counter()
            schools = search_schools(_schools_with_contacts(), query)
            count = schools.count()
            page = list(schools[:SCHOOLS_PER_PAGE])
            timings.append(time.perf_counter() - started)
        best = "; ".join(f"{s.name} ({s.city})" for s in page[:top])
        found = f"{'>' if schools.more else ' '}{count:>6,} found"
        instead = f" (searched for {schools.searched_for!r})" if schools.searched_for else ""
        print(f"{query!r:>18}: {found}, {statistics.median(timings) * 1000:7.1f} ms  {best}{instead}")


if __name__ == "__main__":
    main()
