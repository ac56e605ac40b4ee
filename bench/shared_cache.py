#!/usr/bin/env python3
"""The program page through Varnish (the project's deploy/varnish/default.vcl, SHARED_CACHE=varnish)
in front of two gunicorn instances, against nginx serving the same page as a file and against
one gunicorn alone (its page cache on); then how long an edit takes to show through Varnish.

Capacity, closed loop: `wrk -t2 -c32` on each, taking turns (each round in another order),
median of `--rounds`. The reference is nginx serving the page like for like: the same bytes
(no compression on either side: wrk asks for none) and the same headers the site gives the
page (its security headers, Cache-Control...), all but the four Varnish adds of its own
(X-Varnish, Age, Via, X-Cache). Also measured, to explain the ratio: nginx serving the bare file
(nginx's own headers only, the issue's first reference) and Varnish running nothing but its
built-in VCL (Varnish's own ceiling on this machine). Both Varnish run with the runtime
parameters of deploy/systemd/varnish.service.d/sro.conf. Each row says its response's header
bytes, the CPU time a request of the server and of wrk (the two share the machine's two cores),
and how much CPU other processes took during its runs ("others": a busy machine moved req/s by
half from one run to the next); a round in which they took more than `--max-others` is run again.

With `--pin` (the default where there are two CPUs or more), every server runs on the first CPU
and wrk, the open-loop client and this script on the second: each server gets one whole CPU and
the load none of it. Without it (`--no-pin`) they share every CPU, and a server that needs little
CPU a request (nginx, Varnish) loses the more of it to wrk the faster it serves, while gunicorn,
at a thousandth of the rate, has both CPUs nearly to itself.

Latency, open loop: `--rate` requests a second for `--duration` seconds (bench/open_loop.py),
counted from when each request was due. Edits: `--edits` saves of the program (through the ORM,
committed, as an admin save ends), each followed by requests through Varnish until the new text
shows: the time from the save's commit to the first fresh page, and any stale page served after.

    .venv/bin/python bench/shared_cache.py --duration 6 --rounds 5 --rate 500 --edits 50

Needs wrk, nginx (nginx-light), varnish and varnish-modules from Debian. SQLite and the file
cache, in a folder of their own; run by hand on a quiet machine (the "others" column near 0),
not in CI.
"""

import argparse
import asyncio
import os
import resource
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from contextlib import ExitStack, contextmanager
from pathlib import Path
from types import SimpleNamespace

PROJECT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(PROJECT), str(PROJECT / "bench")]

from open_loop import run as open_loop  # noqa: E402
from run import free_port, manage, worker_cpu, wrk  # noqa: E402

from tests.shared_cache.varnish import varnishd  # noqa: E402

PROGRAM_PATH = "/programs/st-charles-county/"
# Headers nginx gives a file of its own accord, and those Varnish adds of its own: the rest of
# what the site sends with the page, nginx is told to send too.
NGINX_OWN = {"date", "server", "content-type", "content-length", "last-modified", "etag", "accept-ranges", "connection"}
VARNISH_OWN = {"x-varnish", "age", "via", "x-cache"}
# Varnish with nothing but its built-in rules (which keep the page: it says s-maxage, sets no
# cookie), in front of one of the same gunicorn instances.
BUILTIN_VCL = 'vcl 4.1;\nbackend gunicorn {{ .host = "127.0.0.1"; .port = "{port}"; }}\n'
TICK = os.sysconf("SC_CLK_TCK")


def fetch(url, headers=None):
    request = urllib.request.Request(url, headers=headers or {})  # noqa: S310 (loopback only)
    with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
        return response.read(), response.headers


def header_bytes(url):
    """The size of the response's status line and headers, as wrk's request gets them."""
    parts = urllib.parse.urlsplit(url)
    with socket.create_connection((parts.hostname, parts.port), timeout=5) as conn:
        conn.sendall(f"GET {parts.path} HTTP/1.1\r\nHost: {parts.netloc}\r\n\r\n".encode())
        received = b""
        while b"\r\n\r\n" not in received:
            received += conn.recv(65536)
    return received.index(b"\r\n\r\n") + 4


def worker_ticks(pid):
    """CPU time (clock ticks) of each child of `pid`: nginx's or gunicorn's workers, varnishd's cache process."""
    return worker_cpu(SimpleNamespace(process=SimpleNamespace(pid=pid)))


def process_ticks(pid):
    """CPU time (clock ticks) of a process and its children."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12]) + sum(worker_ticks(pid))


def machine_ticks():
    """CPU time all processes on the machine have used so far: all but idle and waiting for disk
    (interrupt work included, as it is in the time of the process it interrupted)."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return sum(fields) - fields[3] - fields[4]


def varnishd_pid(url):
    """The varnishd manager serving `url` (tests/shared_cache/varnish.py starts it), by its -a argument."""
    address = urllib.parse.urlsplit(url).netloc
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            argv = cmdline.read_bytes().split(b"\0")
        except OSError:
            continue
        if argv[0].endswith(b"varnishd") and address.encode() in argv:
            return int(cmdline.parent.name)
    raise LookupError(f"no varnishd listens on {address}")


def measured(url, pid, args):
    """wrk's figures for `url`, with CPU microseconds a request of the server (`pid` and its
    children) and of wrk, the share of the machine's CPU other processes took meanwhile, and
    how lopsided the server's worker processes were (least busy / busiest, 1 for one process)."""
    server, workers, machine = process_ticks(pid), worker_ticks(pid), machine_ticks()
    wrk_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    run = wrk(url, args.duration, args.connections)
    wrk_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    server = process_ticks(pid) - server
    busy = [after - before for after, before in zip(worker_ticks(pid), workers, strict=False)]
    wrk_seconds = (wrk_after.ru_utime + wrk_after.ru_stime) - (wrk_before.ru_utime + wrk_before.ru_stime)
    requests = run["rps"] * args.duration
    others = (machine_ticks() - machine - server) / TICK - wrk_seconds
    return run | {
        "server_us": server / TICK / requests * 1e6,
        "wrk_us": wrk_seconds / requests * 1e6,
        "others": max(0.0, others / (args.duration * os.cpu_count())),
        "balance": min(busy) / max(busy) if len(busy) > 1 and max(busy) else 1.0,
    }


@contextmanager
def on_cpus(cpus):
    """This script on `cpus` for the block: the processes it starts there (and their children,
    their threads) stay there. `cpus` None: unchanged."""
    if cpus is None:
        yield
        return
    before = os.sched_getaffinity(0)
    os.sched_setaffinity(0, cpus)
    try:
        yield
    finally:
        os.sched_setaffinity(0, before)


def pinning(pin):
    """({server CPU}, {load CPU}) when pinning, else (None, None): the servers on the first CPU this
    script may use, the load (wrk, the open-loop client, this script) on the second."""
    cpus = sorted(os.sched_getaffinity(0))
    if not pin or len(cpus) < 2:
        return None, None
    return {cpus[0]}, {cpus[1]}


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
        yield f"http://127.0.0.1:{port}", process.pid
    finally:
        process.terminate()
        process.wait(timeout=20)


@contextmanager
def nginx(folder, ports, headers):
    """nginx (Debian) serving `folder`'s files on two ports: with the site's `headers` (name,
    value) on the first, with nginx's own alone on the second. Yields both URLs and its pid."""
    assert not any(c in value for _, value in headers for c in '"$\\'), "a header nginx would read otherwise"
    added = " ".join(f'add_header {name} "{value}";' for name, value in headers)
    conf = folder / "nginx.conf"
    conf.write_text(
        f"""worker_processes 2; daemon off; pid {folder}/nginx.pid; error_log {folder}/error.log;
events {{ worker_connections 1024; }}
http {{ access_log off; sendfile on; tcp_nopush on; keepalive_requests 100000;
  types {{ text/html html; }}
  server {{ listen 127.0.0.1:{ports[0]}; root {folder}/www; charset utf-8; {added} }}
  server {{ listen 127.0.0.1:{ports[1]}; root {folder}/www; }} }}
"""
    )
    folder.chmod(0o755)  # nginx's workers run as nobody: mkdtemp's folder is the owner's alone
    process = subprocess.Popen(["nginx", "-c", str(conf), "-p", str(folder)], stderr=subprocess.DEVNULL)
    urls = [f"http://127.0.0.1:{port}/program.html" for port in ports]
    try:
        for url in urls:
            for _ in range(100):
                try:
                    served = fetch(url)[0]
                    break
                except OSError:
                    time.sleep(0.05)
            else:
                sys.exit(f"nginx does not serve the file (see {folder}/error.log)")
            assert served == (folder / "www" / "program.html").read_bytes()
        yield urls, process.pid
    finally:
        process.terminate()
        process.wait(timeout=10)


def capacity(rows, args):
    """{name: median wrk figures} for rows {name: (url, server pid)}, and how many rounds were run
    again: every round each row in turn, starting one further down the list each round.

    A run in which one of the server's two worker processes did less than a third of the other's
    work is run again (up to 3 times, counted), as in bench/run.py: wrk opens its 32 connections at
    once, and where they land (nginx once kept all 32 in one worker, the other idle) is no property
    of the page. A round in which other processes took more than `--max-others` of the machine's
    CPU during any run is run again (at most three times the rounds in all): on the shared
    development machine other work moved a row by half from one round to the next."""
    runs = {name: [] for name in rows}
    lopsided = dict.fromkeys(rows, 0)
    names = list(rows)
    again = 0
    while len(runs[names[0]]) < args.rounds:
        turn = len(runs[names[0]]) + again
        this_round = {}
        for name in names[turn % len(names) :] + names[: turn % len(names)]:
            for _attempt in range(4):
                this_round[name] = measured(*rows[name], args)
                if this_round[name]["balance"] >= 1 / 3:
                    break
                lopsided[name] += 1
        if max(run["others"] for run in this_round.values()) > args.max_others and again < 3 * args.rounds:
            again += 1
            time.sleep(args.duration)  # other work often comes in bursts: let this one pass
            continue
        for name, run in this_round.items():
            runs[name].append(run)
    found = {}
    for name, measured_runs in runs.items():
        middle = sorted(measured_runs, key=lambda run: run["rps"])[len(measured_runs) // 2]
        found[name] = middle | {
            "all": [run["rps"] for run in measured_runs],
            "server_us": statistics.median(run["server_us"] for run in measured_runs),
            "wrk_us": statistics.median(run["wrk_us"] for run in measured_runs),
            "others": max(run["others"] for run in measured_runs),
            "errors": sum(run["errors"] for run in measured_runs),
            "lopsided": lopsided[name],
        }
    return found, again


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
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--rate", type=float, default=500)
    parser.add_argument("--edits", type=int, default=50)
    parser.add_argument(
        "--max-others", type=float, default=0.05, help="share of the CPU other processes may take in a run's round"
    )
    parser.add_argument(
        "--pin",
        action=argparse.BooleanOptionalAction,
        default=len(os.sched_getaffinity(0)) >= 2,
        help="servers on one CPU, the load on another (default where there are two)",
    )
    args = parser.parse_args()
    server_cpus, load_cpus = pinning(args.pin)
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
    reference, bare_file = "nginx, the page as a file (like for like)", "nginx, the bare file (its own headers)"
    project, builtin = "Varnish, the project's VCL", "Varnish, built-in VCL only (ceiling)"
    alone = "gunicorn alone (page cache on)"
    started_load = os.getloadavg()[0]
    try:
        manage(env, "migrate", "--noinput")
        manage(env, "load_demo")
        (workdir / "builtin.vcl").write_text(BUILTIN_VCL.format(port=ports[0]))
        with ExitStack() as stack:
            stack.enter_context(on_cpus(load_cpus))  # wrk and the clients, started below, run here
            with on_cpus(server_cpus):  # the servers, their workers and threads, here
                backends = [stack.enter_context(gunicorn(env, port)) for port in ports]
                varnish = stack.enter_context(varnishd([("127.0.0.1", p) for p in ports], port=varnish_port))
                ceiling = stack.enter_context(varnishd([("127.0.0.1", ports[0])], vcl=workdir / "builtin.vcl"))
            html, headers = fetch(varnish + PROGRAM_PATH)
            assert fetch(varnish + PROGRAM_PATH)[1]["X-Cache"] == "hit", "the program page is not kept by Varnish"
            fetch(ceiling + PROGRAM_PATH)
            kept = len(fetch(ceiling + PROGRAM_PATH)[1]["X-Varnish"].split()) == 2  # two numbers: a hit
            assert kept, "Varnish's built-in VCL does not keep the program page"
            (workdir / "www").mkdir()
            (workdir / "www" / "program.html").write_bytes(html)
            site_headers = [(k, v) for k, v in headers.items() if k.lower() not in NGINX_OWN | VARNISH_OWN]
            with on_cpus(server_cpus):
                files, nginx_pid = stack.enter_context(nginx(workdir, [free_port(), free_port()], site_headers))
            for _ in range(20):
                fetch(backends[0][0] + PROGRAM_PATH)  # the page cache of gunicorn alone, warm
            rows = {
                reference: (files[0], nginx_pid),
                bare_file: (files[1], nginx_pid),
                project: (varnish + PROGRAM_PATH, varnishd_pid(varnish)),
                builtin: (ceiling + PROGRAM_PATH, varnishd_pid(ceiling)),
                alone: (backends[0][0] + PROGRAM_PATH, backends[0][1]),
            }
            # The same page everywhere; its links name the host asked, so only the port in them differs.
            assert {len(fetch(url)[0]) for url, _ in rows.values()} == {len(html)}, "a row serves another page"
            sizes = {name: header_bytes(url) for name, (url, _) in rows.items()}
            figures, again = capacity(rows, args)
            print(figures, flush=True)  # the raw figures first: the rest of the run takes a while
            latency = {
                name: asyncio.run(open_loop(rows[name][0], args.rate, args.duration))
                for name in (reference, project, alone)
            }
            delays, stale_after = edits(env, varnish, args.edits)
        print(
            f"\nservers on CPU {sorted(server_cpus)[0]}, wrk and the clients on CPU {sorted(load_cpus)[0]} (--pin)"
            if server_cpus
            else "\nservers, wrk and the clients sharing every CPU (--no-pin)"
        )
        print(f"{len(html):,} bytes of program-page HTML, uncompressed everywhere; capacity: wrk -t2")
        print(
            f"-c{args.connections} -d{args.duration}s, median of {args.rounds} rounds taking turns; load average "
            f"{started_load:.1f} at the start, {os.getloadavg()[0]:.1f} at the end; 'others': the most CPU other "
            f"processes took in a run; {again} rounds run again for other work (over {args.max_others:.0%})"
        )
        print(
            f"{'':<42}{'req/s':>8}  {'rounds (runs again)':<42}{'p99':>9}{'errors':>7}{'headers':>8}"
            f"{'CPU a request: server':>23}{'wrk':>8}{'others':>7}{'of nginx':>9}"
        )
        for name, r in figures.items():
            spread = ", ".join(f"{x:.0f}" for x in r["all"]) + (f" ({r['lopsided']})" if r["lopsided"] else "")
            print(
                f"{name:<42}{r['rps']:>8.0f}  {spread:<42}{r['p99']:>9}{r['errors']:>7}{sizes[name]:>8}"
                f"{r['server_us']:>21.1f}us{r['wrk_us']:>6.1f}us{r['others']:>7.0%}"
                f"{r['rps'] / figures[reference]['rps']:>9.2f}"
            )
        by_round = [v / n for v, n in zip(figures[project]["all"], figures[reference]["all"], strict=True)]
        ratio = figures[project]["rps"] / figures[reference]["rps"]
        print(
            f"Varnish / nginx: {ratio:.2f} (target 0.7; round by round {min(by_round):.2f} to {max(by_round):.2f}); "
            "Varnish / gunicorn alone: "
            f"{figures[project]['rps'] / figures[alone]['rps']:.1f} (target 25); against the bare file "
            f"{figures[project]['rps'] / figures[bare_file]['rps']:.2f}; Varnish's ceiling (built-in VCL) "
            f"{figures[builtin]['rps'] / figures[reference]['rps']:.2f}, the project's VCL "
            f"{figures[project]['rps'] / figures[builtin]['rps']:.2f} of it"
        )
        print(f"\nlatency, open loop at {args.rate:.0f} requests/s for {args.duration}s:")
        for name, r in latency.items():
            print(
                f"{name:<42} p50 {r['p50_ms']:.2f} ms, p99 {r['p99_ms']:.2f} ms, p99.9 {r['p999_ms']:.2f} ms,"
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
