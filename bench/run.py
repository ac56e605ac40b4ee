#!/usr/bin/env python3
"""Throughput of the site against the limit of its own stack.

Starts gunicorn (2 workers) with production settings on loopback, loads the
demo data, and drives it with wrk: the home page, a program page (from the
page cache, and rendered with the cache off), a school search, and the very
same program-page HTML saved as a file and served by the same gunicorn and
whitenoise. Prints requests/s, p50/p99 latency, errors and each page's ratio
to the static file. Runs on SQLite, and on PostgreSQL too when DATABASE_URL
points to one.

    .venv/bin/python bench/run.py [--duration 10] [--connections 32] [--rounds 3]

The PostgreSQL run creates a database of its own next to the one DATABASE_URL
names (and drops it afterwards): it never writes to that database. With
REDIS_URL set, the cached runs use Redis under a key prefix of their own;
without it, the file cache in a folder of their own.
PAGE_CACHE=false is how the uncached runs switch the page cache off.

Needs wrk (apt-get install wrk). Run by hand on a quiet machine, not in CI.
"""

import argparse
import contextlib
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
PROGRAM_PATH = "/programs/st-charles-county/"
SEARCH_PATH = "/schools/?q=example"  # matches the demo's example schools
# The targets: throughput as a share of the same HTML served as a static file.
TARGETS = {"program page, cached": 0.8, "program page, uncached": 0.15}
# The Spanish page is held to the same (issue 14).
TARGETS.update({name.replace("page", "page (es)"): target for name, target in TARGETS.items()})
# Without REDIS_URL (`make run`: the file cache shared by the host's workers)
# the cached page is held to more: nothing stands between a hit and its
# in-memory copy but one small file read (issue 12).
FILE_CACHE_TARGETS = {**TARGETS, "program page, cached": 0.9, "program page (es), cached": 0.9}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def manage(env, *args):
    subprocess.run([PYTHON, "manage.py", *args], cwd=PROJECT, env=env, check=True, capture_output=True)


class Server:
    def __init__(self, env, page_cache):
        self.port = free_port()
        self.env = {**env, "PORT": str(self.port), "PAGE_CACHE": "true" if page_cache else "false"}

    def __enter__(self):
        self.process = subprocess.Popen(
            [
                str(PROJECT / ".venv/bin/gunicorn"),
                "-c",
                "gunicorn.conf.py",
                "sro_site.wsgi",
                "--access-logfile",
                "/dev/null",
            ],
            cwd=PROJECT,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(100):
            try:
                self.get("/healthz")
                return self
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("gunicorn did not start")

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait(timeout=20)

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def get(self, path):
        return self.fetch(path)[0]

    def fetch(self, path):
        with urllib.request.urlopen(self.url(path), timeout=5) as response:  # noqa: S310 (loopback only)
            return response.read(), response.headers


def warm(server, path):
    """Fill the page cache (each worker its own when there is no Redis) and check it answers."""
    for _ in range(20):
        if server.fetch(path)[1].get("X-Page-Cache") == "hit":
            return
    sys.exit(f"{path} is not served from the page cache")


def wrk(url, duration, connections, script=None):
    """wrk's figures for `url`; `script`, a Lua file, can vary the requests (bench/national.py)."""
    out = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{connections}",
            f"-d{duration}s",
            "--latency",
            *(["-s", str(script)] if script else []),
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = re.search(r"50%\s+([\d.]+\w+)", out).group(1)
    p99 = re.search(r"99%\s+([\d.]+\w+)", out).group(1)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    errors = int(non2xx.group(1)) if non2xx else 0
    if socket_errors:
        errors += sum(int(n) for n in socket_errors.groups())
    return {"rps": rps, "p50": p50, "p99": p99, "errors": errors}


def interleaved(server, paths, args):
    """{name: wrk's figures for its path}, each the run of median req/s of `args.rounds` runs,
    the paths taking turns (a, b, c, a, b, c...).

    wrk shares the machine's cores with gunicorn: one run of the same page
    moved by a fifth from the next (2,362 to 3,648 req/s, 2026-11-30), with
    both workers equally busy. Taking turns and the median keep that noise
    out of the ratios, and out of one page's favour.

    A run in which one worker did less than a third of the other's work is
    run again (up to 3 times; the figures say how many): wrk opens its 32
    connections at once, and when one worker is slow to wake the other
    accepts them all and keeps them, which halves the throughput of that run
    whatever the page (1,023 req/s, one worker idle, between runs of
    2,500-3,200). That measures where wrk's connections landed, not the page.
    """
    runs = {name: [] for name in paths}
    lopsided = {name: 0 for name in paths}
    for _ in range(args.rounds):
        for name, path in paths.items():
            for _attempt in range(4):
                before = worker_cpu(server)
                run = wrk(server.url(path), args.duration, args.connections)
                used = [after - earlier for after, earlier in zip(worker_cpu(server), before, strict=False)]
                if len(used) < 2 or min(used) * 3 >= max(used):
                    break
                lopsided[name] += 1
            runs[name].append(run)
    found = {name: median_run(measured) for name, measured in runs.items()}
    for name, figures in found.items():
        figures["lopsided"] = lopsided[name]
    return found


def worker_cpu(server):
    """CPU time each gunicorn worker (the master's children) has used so far, in clock ticks."""
    pid = server.process.pid
    ticks = []
    for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split():
        fields = Path(f"/proc/{child}/stat").read_text().rsplit(")", 1)[1].split()
        ticks.append(int(fields[11]) + int(fields[12]))  # utime + stime
    return ticks


def median_run(runs):
    ordered = sorted(runs, key=lambda run: run["rps"])
    middle = dict(ordered[len(ordered) // 2])
    middle["spread"] = (ordered[0]["rps"], ordered[-1]["rps"])
    middle["errors"] = sum(run["errors"] for run in runs)
    return middle


@contextlib.contextmanager
def own_postgres_database(database_url):
    """A throw-away database on the server DATABASE_URL points to."""
    import psycopg

    base, _, _ = database_url.rpartition("/")
    name = f"sro_bench_{secrets.token_hex(4)}"
    admin = f"{base}/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{base}/{name}"
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (name,))
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')


def forget_cache_keys(prefix):
    redis_url = os.environ.get("REDIS_URL")
    if not redis_url:
        return
    import redis

    client = redis.Redis.from_url(redis_url)
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)


def bench_database(label, database_url, args):
    workdir = Path(tempfile.mkdtemp(prefix="sro-bench-"))
    env = {
        **os.environ,
        "DEBUG": "false",
        "HTTPS": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": database_url or f"sqlite:///{workdir / 'bench.sqlite3'}",
        "STATIC_ROOT": str(workdir / "static"),
        "CACHE_KEY_PREFIX": f"bench-{secrets.token_hex(4)}",
        "CACHE_DIR": str(workdir / "cache"),  # used when REDIS_URL is empty
        "WEB_CONCURRENCY": "2",
        "LOG_LEVEL": "WARNING",
    }
    try:
        manage(env, "migrate", "--noinput")
        manage(env, "load_demo")
        manage(env, "collectstatic", "--noinput")
        with Server(env, page_cache=True) as server:
            html = server.get(PROGRAM_PATH)
        # The limit of this stack: the same bytes as a static file through whitenoise.
        static_file = workdir / "static" / "bench" / "program.html"
        static_file.parent.mkdir(parents=True)
        static_file.write_bytes(html)

        cached = {
            "static file (same HTML)": "/static/bench/program.html",
            "program page, cached": PROGRAM_PATH,
            "program page (es), cached": "/es" + PROGRAM_PATH,
            "home page, cached": "/",
            "school search, cached": SEARCH_PATH,
        }
        with Server(env, page_cache=True) as server:
            assert server.get("/static/bench/program.html") == html
            for path in list(cached.values())[1:]:
                warm(server, path)
            rows = list(interleaved(server, cached, args).items())
        uncached = {
            "program page, uncached": PROGRAM_PATH,
            "program page (es), uncached": "/es" + PROGRAM_PATH,
            "home page, uncached": "/",
            "school search, uncached": SEARCH_PATH,
        }
        with Server(env, page_cache=False) as server:
            rows += list(interleaved(server, uncached, args).items())
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
        forget_cache_keys(env["CACHE_KEY_PREFIX"])

    static_rps = rows[0][1]["rps"]
    cache_kind = "Redis" if os.environ.get("REDIS_URL") else "the file cache (no REDIS_URL)"
    print(
        f"\n{label}, {cache_kind}: {len(html):,} bytes of program-page HTML;"
        f" wrk -t2 -c{args.connections} -d{args.duration}s, median of {args.rounds} runs taking turns"
    )
    print(f"{'':<30}{'req/s':>9}{'(runs from':>12}{'to)':>7}{'p50':>10}{'p99':>10}{'errors':>8}{'ratio':>8}")
    for name, r in rows:
        low, high = r["spread"]
        print(
            f"{name:<30}{r['rps']:>9.0f}{low:>12.0f}{high:>7.0f}{r['p50']:>10}{r['p99']:>10}{r['errors']:>8}"
            f"{r['rps'] / static_rps:>8.2f}"
        )
    rerun = sum(r["lopsided"] for _, r in rows)
    print(f"runs with one worker idle, run again: {rerun}")
    met = True
    targets = TARGETS if os.environ.get("REDIS_URL") else FILE_CACHE_TARGETS
    for name, target in targets.items():
        ratio = dict(rows)[name]["rps"] / static_rps
        met &= ratio >= target
        verdict = "met" if ratio >= target else "MISSED"
        print(f"target: {name} >= {target:.2f} of the static file: {ratio:.3f} {verdict}")
    errors = sum(r["errors"] for _, r in rows)
    print(f"target: zero errors: {errors} {'met' if errors == 0 else 'MISSED'}")
    return met and errors == 0


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--rounds", type=int, default=3, help="runs of each page, taking turns (the median counts)")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: apt-get install -y wrk")
    met = bench_database("SQLite", None, args)
    database_url = os.environ.get("DATABASE_URL", "")
    if database_url.startswith("postgres"):
        with own_postgres_database(database_url) as bench_url:
            met &= bench_database("PostgreSQL", bench_url, args)
    # Figures on a busy machine are noisy: a missed target is reported, and the exit status says so.
    sys.exit(0 if met else 1)


if __name__ == "__main__":
    main()
