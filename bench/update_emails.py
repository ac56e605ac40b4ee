#!/usr/bin/env python3
"""Publishing an update to a program with 10,000 confirmed subscribers (issue 28).

In a throw-away SQLite database (or, with --postgres URL, a database of its own on that
server), with a local SMTP sink (aiosmtpd, in a process of its own):

1. publishes an update to a program with N confirmed subscribers (each as it comes) and times
   the save, which queues one email per address (target: under a second);
2. drains the queue with `send_pending_notifications` in a separate worker process, as cron
   would run it, timing it and reading the worker's peak resident memory;
3. checks what the sink received: exactly N messages, one per address, each with its own
   List-Unsubscribe link (RFC 8058) naming that address's subscription; then posts the
   one-click unsubscribe of a sample of them (all with --check-all) and checks each one
   removed its subscription and nothing else.

    .venv/bin/python bench/update_emails.py [--subscribers 10000] [--batch 200] [--check-all]

Memory bounded: run it with --subscribers 1000 and 10000; the worker's peak should barely move.
Run by hand on a quiet machine, not in CI.
"""

import argparse
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def environment(folder, database_url, smtp_port, batch):
    return {
        **os.environ,
        "SECRET_KEY": secrets.token_urlsafe(32),
        "DEBUG": "false",
        "HTTPS": "false",
        "ALLOWED_HOSTS": "localhost,testserver",
        "STATIC_MANIFEST": "false",
        "REDIS_URL": "",
        "CACHE_DIR": str(folder / "cache"),
        "DATABASE_URL": database_url,
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
        "SITE_URL": "http://localhost",
        "UPDATE_EMAIL_BATCH_SIZE": str(batch),
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    }


# The sink: a process of its own, writing "recipient<TAB>List-Unsubscribe" per message received.
SINK = """
import email, email.policy, sys, time
from aiosmtpd.controller import Controller

out = open(sys.argv[2], "a", buffering=1)

class Sink:
    async def handle_DATA(self, server, session, envelope):
        m = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        out.write(f"{','.join(envelope.rcpt_tos)}\\t{str(m['List-Unsubscribe']).strip()}\\t{m['List-Unsubscribe-Post']}\\n")
        return "250 OK"

controller = Controller(Sink(), hostname="127.0.0.1", port=int(sys.argv[1]))
controller.start()
print("ready", flush=True)
sys.stdin.read()
controller.stop()
"""

# The worker: send_pending_notifications as cron runs it, reporting its own peak memory.
WORKER = """
import resource, sys, time, django
django.setup()
from django.core.management import call_command
started = time.perf_counter()
call_command("send_pending_notifications")
elapsed = time.perf_counter() - started
print(f"RESULT {elapsed} {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}", flush=True)
"""


def setup_django(env):
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "sro_site.settings"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def load_program(n):
    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone

    from programs.models import Agency, Program, State
    from updates.models import Subscriber, Subscription

    call_command("migrate", verbosity=0)
    state = State.objects.create(code="MO", name="Missouri")
    agency = Agency.objects.create(
        name="Bench County Sheriff's Office", slug="bench", kind="sheriff", county="Bench", state=state
    )
    program = Program.objects.create(
        agency=agency,
        name="School Resource Officer Program",
        slug="bench-county",
        summary="x",
        overview="x",
        status="published",
        contact_division="x",
        contact_phone="+16365550100",
    )
    now = timezone.now()
    with transaction.atomic():
        Subscriber.objects.bulk_create(
            [Subscriber(email=f"resident{i}@example.org", language="es" if i % 5 == 0 else "en") for i in range(n)],
            batch_size=2000,
        )
        subscribers = Subscriber.objects.order_by("pk").values_list("pk", flat=True)
        Subscription.objects.bulk_create(
            [
                Subscription(subscriber_id=pk, program=program, confirmed_at=now, confirmation_sent_at=now)
                for pk in subscribers
            ],
            batch_size=2000,
        )
    return program


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--subscribers", type=int, default=10_000)
    parser.add_argument("--batch", type=int, default=200, help="UPDATE_EMAIL_BATCH_SIZE")
    parser.add_argument("--check-all", action="store_true", help="post every one-click unsubscribe, not a sample")
    parser.add_argument("--sample", type=int, default=200)
    parser.add_argument("--postgres", help="a PostgreSQL server URL; the benchmark makes a database of its own there")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="bench-updates-"))
    received = folder / "received.tsv"
    received.touch()
    database_url = f"sqlite:///{folder / 'db.sqlite3'}"
    if args.postgres:
        import psycopg

        name = f"bench_updates_{secrets.token_hex(4)}"
        with psycopg.connect(args.postgres, autocommit=True) as connection:
            connection.execute(f"CREATE DATABASE {name}")
        database_url = args.postgres.rsplit("/", 1)[0] + "/" + name
    port = free_port()
    env = environment(folder, database_url, port, args.batch)

    sink = subprocess.Popen(  # noqa: S603
        [sys.executable, "-c", SINK, str(port), str(received)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert sink.stdout.readline().strip() == "ready"
    try:
        setup_django(env)
        program = load_program(args.subscribers)
        print(f"Database: {'PostgreSQL' if args.postgres else 'SQLite'}; {args.subscribers:,} confirmed subscribers.")

        from updates.models import OutgoingEmail, Update

        started = time.perf_counter()
        Update.objects.create(
            program=program, title="Coffee with the SROs", text="Come and meet the officers.", status="published"
        )
        publish = time.perf_counter() - started
        queued = OutgoingEmail.objects.count()
        print(
            f"Publishing (the admin's save, queueing {queued:,} emails): {publish * 1000:.0f} ms  "
            f"[target < 1000 ms: {'met' if publish < 1 else 'MISSED'}]"
        )

        worker = subprocess.run(  # noqa: S603
            [sys.executable, "-c", WORKER],
            env={**env, "DJANGO_SETTINGS_MODULE": "sro_site.settings"},
            capture_output=True,
            text=True,
            cwd=ROOT,
            check=True,
        )
        line = next(line for line in worker.stdout.splitlines() if line.startswith("RESULT"))
        elapsed, peak_kb = float(line.split()[1]), int(line.split()[2])
        time.sleep(0.5)  # the sink's last lines
        rows = [line.split("\t") for line in received.read_text().splitlines()]
        print(
            f"Sending: {len(rows):,} messages in {elapsed:.1f} s, {len(rows) / elapsed:,.0f} messages/s "
            f"over one SMTP connection per run, batches of {args.batch}; worker peak memory {peak_kb / 1024:.0f} MB"
        )

        check(rows, args)
    finally:
        sink.stdin.close()
        sink.wait(timeout=10)
        if args.postgres:
            drop_database(args.postgres, database_url.rsplit("/", 1)[-1])


def drop_database(server_url, name):
    import psycopg

    with psycopg.connect(server_url, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")  # the pool keeps its connections


def check(rows, args):
    from django.test import Client

    from updates import links
    from updates.models import OutgoingEmail, Subscription

    recipients = [r[0] for r in rows]
    unsubscribe = [r[1].strip("<>") for r in rows]
    problems = []
    if len(rows) != args.subscribers:
        problems.append(f"{len(rows)} messages for {args.subscribers} subscribers")
    if len(set(recipients)) != len(recipients):
        problems.append("an address got the update twice")
    if len(set(unsubscribe)) != len(unsubscribe):
        problems.append("two messages share an unsubscribe link")
    if any(r[2] != "List-Unsubscribe=One-Click" for r in rows):
        problems.append("a message without List-Unsubscribe-Post")
    if OutgoingEmail.objects.filter(sent_at__isnull=True).exists():
        problems.append("emails left unsent")
    owner = dict(Subscription.objects.values_list("pk", "subscriber__email"))
    for to, url in zip(recipients, unsubscribe, strict=True):
        [pk] = links.subscriptions_from(url.rstrip("/").rsplit("/", 1)[-1])
        if owner.get(pk) != to:
            problems.append(f"the link sent to {to} names another subscription")
            break
    sample = list(zip(recipients, unsubscribe, strict=True))
    if not args.check_all:
        sample = sample[:: max(1, len(sample) // args.sample)]
    client = Client(HTTP_HOST="localhost")
    before = Subscription.objects.count()
    for to, url in sample:
        response = client.post(url.removeprefix("http://localhost"), {"List-Unsubscribe": "One-Click"})
        if response.status_code != 200 or Subscription.objects.filter(subscriber__email=to).exists():
            problems.append(f"one-click unsubscribe failed for {to}")
            break
    if Subscription.objects.count() != before - len(sample):
        problems.append("an unsubscribe removed another subscription")
    print(
        f"Checked: {len(rows):,} messages, {len(set(recipients)):,} addresses, {len(set(unsubscribe)):,} distinct "
        f"unsubscribe links each naming its own subscription; one-click unsubscribe posted for {len(sample):,}: "
        + ("all worked." if not problems else "PROBLEMS: " + "; ".join(problems))
    )
    if problems:
        sys.exit(1)


if __name__ == "__main__":
    main()
