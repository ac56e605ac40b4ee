#!/usr/bin/env python3
"""The program page through Varnish (the project's deploy/varnish/default.vcl, SHARED_CACHE=varnish)
in front of two gunicorn instances, against nginx serving the same HTML as a file and against
one gunicorn alone (its page cache on); then how long an edit takes to show through Varnish.

Capacity, closed loop: `wrk -t2 -c32` on each, taking turns, median of `--rounds`. Latency,
open loop: `--rate` requests a second for `--duration` seconds (bench/open_loop.py), counted from
when each request was due. Edits: `--edits` saves of the program (through the ORM, committed, as
an admin save ends), each followed by requests through Varnish until the new text shows: the time
from the save's commit to the first fresh page, and any stale page served after that.

    .venv/bin/python bench/shared_cache.py [--duration 6] [--rounds 3] [--rate 1000] [--edits 50]

Needs wrk, nginx (nginx-light), varnish and varnish-modules from Debian. SQLite and the file
cache, in a folder of their own; run by hand on a quiet machine, not in CI.
"""

import argparse
import asyncio
import os
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import ExitStack, contextmanager
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(PROJECT), str(PROJECT / "bench")]

from open_loop import run as open_loop  # noqa: E402
from run import free_port, manage, wrk  # noqa: E402

from tests.shared_cache.varnish import varnishd  # noqa: E402

PROGRAM_PATH = "/programs/st-charles-county/"


def fetch(url, headers=None):
    request = urllib.request.Request(url, headers=headers or {})  # noqa: S310 (loopback only)
    with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
        return response.read(), response.headers


@contextmanager
def gunicorn(env, port):
    process = subprocess.Popen(
        [
            str(PROJECT / ".venv/bin/gunicorn"),
            "-c",
            "gunicorn.conf.py",
            "sro_site.wsgi",
            "--access-logfile",
            "/dev/null",
        ],
        cwd=PROJECT,
        env={**env, "PORT": str(port)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(300):
            try:
                fetch(f"http://127.0.0.1:{port}/healthz")
                break
            except OSError:
                time.sleep(0.1)
        else:
            sys.exit("gunicorn did not start")
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=20)


@contextmanager
def nginx(folder, port):
    """nginx (Debian) serving `folder` as files: the ceiling of a static file on this machine."""
    conf = folder / "nginx.conf"
    conf.write_text(
        f"""worker_processes 2; daemon off; pid {folder}/nginx.pid; error_log {folder}/error.log;
events {{ worker_connections 1024; }}
http {{ access_log off; sendfile on; tcp_nopush on; keepalive_requests 100000;
  types {{ text/html html; }}
  server {{ listen 127.0.0.1:{port}; root {folder}/www; }} }}
"""
    )
    folder.chmod(0o755)  # nginx's workers run as nobody: mkdtemp's folder is the owner's alone
    process = subprocess.Popen(["nginx", "-c", str(conf), "-p", str(folder)], stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                served = fetch(f"http://127.0.0.1:{port}/program.html")[0]
                break
            except OSError:
                time.sleep(0.05)
        else:
            sys.exit(f"nginx does not serve the file (see {folder}/error.log)")
        assert served == (folder / "www" / "program.html").read_bytes()
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


def capacity(urls, args):
    """{name: median wrk figures}, each page taking turns with the others in every round."""
    runs = {name: [] for name in urls}
    for _ in range(args.rounds):
        for name, url in urls.items():
            runs[name].append(wrk(url, args.duration, args.connections))
    return {
        name: sorted(r, key=lambda x: x["rps"])[len(r) // 2] | {"all": [x["rps"] for x in r]}
        for name, r in runs.items()
    }


def edits(env, varnish_url, count):
    """Seconds from each committed save to the first fresh page through Varnish, and stale pages seen after."""
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "sro_site.settings"
    import django

    django.setup()
    from programs.models import Program
    from shared_cache import purges

    program = Program.objects.get(slug=PROGRAM_PATH.strip("/").split("/")[-1])
    delays, stale_after = [], 0
    for n in range(count):
        marker = f"Edit number {n} {secrets.token_hex(3)}"
        program.refresh_from_db()
        program.summary = marker
        program.save()  # autocommit: committed when save() returns, as an admin save
        saved = time.perf_counter()
        while marker.encode() not in fetch(varnish_url + PROGRAM_PATH)[0]:
            if time.perf_counter() - saved > 10:
                break
            time.sleep(0.002)
        delays.append(time.perf_counter() - saved)
        for _ in range(20):  # once fresh, never stale again
            stale_after += marker.encode() not in fetch(varnish_url + PROGRAM_PATH)[0]
        purges.queue.wait_until_sent(5)
    from django.conf import settings

    time.sleep(settings.SHARED_CACHE_REPURGE_SECONDS + 0.5)  # the repeated purges, before Varnish stops
    purges.queue.wait_until_sent(5)
    return delays, stale_after


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=int, default=6)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--rate", type=float, default=1000)
    parser.add_argument("--edits", type=int, default=50)
    args = parser.parse_args()
    for tool in ("wrk", "nginx", "varnishd"):
        if not shutil.which(tool):
            sys.exit(f"{tool} is not installed: apt-get install -y wrk nginx-light varnish varnish-modules")
    workdir = Path(tempfile.mkdtemp(prefix="sro-bench-shared-"))
    ports = [free_port(), free_port()]
    varnish_port = free_port()
    env = {
        **os.environ,
        "DEBUG": "false",
        "HTTPS": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": f"sqlite:///{workdir / 'bench.sqlite3'}",
        "REDIS_URL": "",
        "CACHE_DIR": str(workdir / "cache"),
        "STATIC_MANIFEST": "false",
        "WEB_CONCURRENCY": "2",
        "LOG_LEVEL": "WARNING",
        "SHARED_CACHE": "varnish",
        "SHARED_CACHE_PURGE_URLS": f"http://127.0.0.1:{varnish_port}/",
    }
    try:
        manage(env, "migrate", "--noinput")
        manage(env, "load_demo")
        with ExitStack() as stack:
            backends = [stack.enter_context(gunicorn(env, port)) for port in ports]
            varnish = stack.enter_context(varnishd([("127.0.0.1", p) for p in ports], port=varnish_port))
            html, headers = fetch(varnish + PROGRAM_PATH)
            assert fetch(varnish + PROGRAM_PATH)[1]["X-Cache"] == "hit", "the program page is not kept by Varnish"
            (workdir / "www").mkdir()
            (workdir / "www" / "program.html").write_bytes(html)
            static = stack.enter_context(nginx(workdir, free_port()))
            for _ in range(20):
                fetch(backends[0] + PROGRAM_PATH)  # the page cache of gunicorn alone, warm
            urls = {
                "nginx, the same HTML as a file": static + "/program.html",
                "Varnish (project VCL), 2 gunicorn behind": varnish + PROGRAM_PATH,
                "gunicorn alone (page cache on)": backends[0] + PROGRAM_PATH,
            }
            rows = capacity(urls, args)
            print(rows, flush=True)  # the raw figures first: the rest of the run takes a while
            latency = {name: asyncio.run(open_loop(url, args.rate, args.duration)) for name, url in urls.items()}
            delays, stale_after = edits(env, varnish, args.edits)
        nginx_rps = rows["nginx, the same HTML as a file"]["rps"]
        gunicorn_rps = rows["gunicorn alone (page cache on)"]["rps"]
        print(f"\n{len(html):,} bytes of program-page HTML; capacity: wrk -t2 -c{args.connections} -d{args.duration}s,")
        print(f"median of {args.rounds} rounds taking turns; load average {os.getloadavg()[0]:.1f}")
        print(f"{'':<44}{'req/s':>9}  {'rounds':<26}{'p99':>9}{'errors':>8}{'of nginx':>10}")
        for name, r in rows.items():
            spread = ", ".join(f"{x:.0f}" for x in r["all"])
            print(f"{name:<44}{r['rps']:>9.0f}  {spread:<26}{r['p99']:>9}{r['errors']:>8}{r['rps'] / nginx_rps:>10.2f}")
        varnish_rps = rows["Varnish (project VCL), 2 gunicorn behind"]["rps"]
        print(
            f"Varnish / nginx: {varnish_rps / nginx_rps:.2f} (target 0.7); Varnish / gunicorn alone: "
            f"{varnish_rps / gunicorn_rps:.1f} (target 25)"
        )
        print(f"\nlatency, open loop at {args.rate:.0f} requests/s for {args.duration}s:")
        for name, r in latency.items():
            print(
                f"{name:<44} p50 {r['p50_ms']:.2f} ms, p99 {r['p99_ms']:.2f} ms, p99.9 {r['p999_ms']:.2f} ms,"
                f" max {r['max_ms']:.1f} ms, errors {r['errors']}, {r['connections']} connections"
            )
        delays.sort()
        p99 = delays[min(len(delays) - 1, int(0.99 * len(delays)))]
        print(
            f"\n{len(delays)} edits: from the commit to the new page through Varnish: median "
            f"{statistics.median(delays) * 1000:.0f} ms, p99 {p99 * 1000:.0f} ms, max {delays[-1] * 1000:.0f} ms "
            f"(target p99 <= 1 s); stale pages served after the first fresh one: {stale_after} (target 0)"
        )
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
