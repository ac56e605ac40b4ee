"""Real gunicorn instances on a real PostgreSQL and Redis, as in production.

These tests need PostgreSQL (127.0.0.1:5432) and Redis (127.0.0.1:6379): they
skip loudly where those do not answer, and fail in CI (CI=true), which has them.
Each run creates and drops its own database and uses its own cache key prefix.
"""

import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack, contextmanager
from pathlib import Path

import pytest
import requests

from tests.local_tools import free_port, unavailable_for

PROJECT = Path(__file__).resolve().parents[2]
PG = ("127.0.0.1", 5432)
REDIS = ("127.0.0.1", 6379)


def answers(address):
    try:
        with socket.create_connection(address, timeout=1):
            return True
    except OSError:
        return False


unavailable = unavailable_for("SCALE TESTS")


def manage(env, *args, **kwargs):
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=PROJECT, env=env, check=True, capture_output=True, text=True, **kwargs
    )


def pg_admin(sql, database="postgres"):
    import psycopg

    with psycopg.connect(f"host={PG[0]} port={PG[1]} user=postgres dbname={database}", autocommit=True) as conn:
        return conn.execute(sql).fetchall() if sql.lstrip().upper().startswith("SELECT") else conn.execute(sql)


@pytest.fixture(scope="session")
def site_env():
    """A migrated PostgreSQL database with the demo data, and the environment of an instance."""
    if not answers(PG):
        unavailable("PostgreSQL does not answer on 127.0.0.1:5432")
    if not answers(REDIS):
        unavailable("Redis does not answer on 127.0.0.1:6379")
    name = f"sro_scale_{secrets.token_hex(4)}"
    pg_admin(f'CREATE DATABASE "{name}"')
    workdir = Path(tempfile.mkdtemp(prefix="sro-scale-"))
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DJANGO_"))},
        "DEBUG": "false",
        "HTTPS": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": f"postgres://postgres@{PG[0]}:{PG[1]}/{name}",
        "REDIS_URL": f"redis://{REDIS[0]}:{REDIS[1]}/0",
        "CACHE_KEY_PREFIX": f"scale-{secrets.token_hex(4)}",
        "STATIC_MANIFEST": "false",
        "STATIC_ROOT": str(workdir / "static"),
        "WEB_CONCURRENCY": "2",
        "LOG_LEVEL": "WARNING",
        # The test editor logs in with a password only; the second factor has its own tests.
        "OTP_REQUIRED": "false",
    }
    manage(env, "migrate", "--noinput")
    manage(env, "load_demo")
    yield env
    pg_admin(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'")
    pg_admin(f'DROP DATABASE IF EXISTS "{name}"')
    shutil.rmtree(workdir, ignore_errors=True)
    import redis

    client = redis.Redis(host=REDIS[0], port=REDIS[1])
    for key in client.scan_iter(f"{env['CACHE_KEY_PREFIX']}:*"):
        client.delete(key)


@pytest.fixture(scope="session")
def embedded_env():
    """The embedded default, as `make run` serves it: SQLite and, with no REDIS_URL, the file
    cache in a folder shared by the host's gunicorn workers. Needs neither PostgreSQL nor Redis."""
    workdir = Path(tempfile.mkdtemp(prefix="sro-embedded-"))
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DJANGO_"))},
        "DEBUG": "false",
        "HTTPS": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": f"sqlite:///{workdir / 'site.sqlite3'}",
        "REDIS_URL": "",
        "CACHE_DIR": str(workdir / "cache"),
        "CACHE_KEY_PREFIX": "sro",
        "STATIC_MANIFEST": "false",
        "STATIC_ROOT": str(workdir / "static"),
        "WEB_CONCURRENCY": "2",
        "LOG_LEVEL": "WARNING",
    }
    manage(env, "migrate", "--noinput")
    manage(env, "load_demo")
    yield env
    shutil.rmtree(workdir, ignore_errors=True)


class Instance:
    def __init__(self, port, process):
        self.port, self.process = port, process
        self.session = requests.Session()

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def get(self, path, **kwargs):
        return self.session.get(self.url(path), timeout=10, **kwargs)

    def worker_pids(self):
        """The gunicorn workers: the master's child processes."""
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text()
        return [int(pid) for pid in children.split()]


def cpu_ticks(pid):
    """Clock ticks a process has run for (user and system), from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


@contextmanager
def instance(env, **overrides):
    """One gunicorn instance (2 workers), as a deployment would run it."""
    port = free_port()
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
        env={**env, **overrides, "PORT": str(port)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    started = Instance(port, process)
    try:
        for _ in range(150):
            try:
                if started.get("/healthz").status_code in (200, 503):
                    break
            except requests.ConnectionError:
                time.sleep(0.1)
        else:
            raise RuntimeError("gunicorn did not start")
        yield started
    finally:
        # SIGQUIT, gunicorn's quick stop: the test is over, nothing is left to finish. Its graceful
        # stop (SIGTERM) waits out the workers' one-second poll and took 2.4 s an instance, 0.6 s this way.
        process.send_signal(signal.SIGQUIT)
        process.wait(timeout=30)


@contextmanager
def instances(env, count, **overrides):
    """`count` gunicorn instances on free ports sharing env's database and Redis, like
    a deployment behind a load balancer: `with instances(site_env, 3) as (a, b, c):`."""
    with ExitStack() as stack:
        yield [stack.enter_context(instance(env, **overrides)) for _ in range(count)]


@contextmanager
def private_redis(port):
    """A throw-away redis-server, so a test can stop it without touching the shared one."""
    if not shutil.which("redis-server"):
        unavailable("redis-server is not installed")
    process = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(50):
        if answers(("127.0.0.1", port)):
            break
        time.sleep(0.1)
    try:
        yield process
    finally:
        process.terminate()
        process.wait(timeout=10)
