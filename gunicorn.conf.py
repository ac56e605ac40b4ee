"""gunicorn settings, read from the environment like the Django settings.

Stateless workers: sessions, cache and rate limits live in the database or
Redis, so any number of instances can run behind a load balancer.
"""

import os
import shutil
import tempfile

bind = os.environ.get("BIND", f"127.0.0.1:{os.environ.get('PORT', '8000')}")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
# Threads, not sync workers: a sync worker is one connection at a time, so six
# clients that never finish their headers (a phone on a weak signal, or a
# "slowloris" on purpose) held every worker and the site stopped answering.
# Each gthread worker waits for a connection's first bytes in its event loop,
# and gives a slow connection a thread of its own, so it takes as many slow
# clients as it has threads before one affects anyone else (docs/operations/slow-clients-and-proxy.md:
# what it costs, and the buffering proxy a large site puts in front).
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "gthread")
threads = int(os.environ.get("GUNICORN_THREADS", "128"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
# Recycle workers now and then, so a slow leak never takes a site down. Not
# too often: a cached page is served in well under a millisecond, so 2,000
# requests meant a worker restart (a fresh Django start-up) every second or so
# during a burst, which is exactly when a county site needs its workers.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "50000"))
max_requests_jitter = max_requests // 10
# Django is imported once, in the master, and each worker is a fork of it: a worker
# replaced after max_requests starts in milliseconds, where importing Django again took a
# second of CPU (bench/run.py serves 50,000 cached pages in 20 s, so at that pace each
# worker was replaced every half minute). Deploys restart the service, never HUP it.
preload_app = os.environ.get("GUNICORN_PRELOAD", "true").lower() in ("1", "true", "yes", "on")
accesslog = "-"
errorlog = "-"
# One JSON object per line for requests and gunicorn's errors, like Django's logs (one line of
# text at a terminal or with LOG_FORMAT=text).
logger_class = "sro_site.logs.SiteLogger"
# gunicorn 27 opens a control socket under ~/.gunicorn by default; several
# instances on one host (or a CI run) would fight over it.
control_socket_disable = True

# Metrics (/metrics, site_ops/metrics.py): every worker writes its counts to files
# in this folder, so a scrape, whichever worker answers it, reads the whole
# instance. Set before any worker imports prometheus_client; a fresh folder per
# start unless PROMETHEUS_MULTIPROC_DIR names one (which is then emptied).
_metrics_dir = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
_metrics_dir_is_ours = not _metrics_dir
if _metrics_dir:
    shutil.rmtree(_metrics_dir, ignore_errors=True)
    os.makedirs(_metrics_dir, exist_ok=True)
else:
    _metrics_dir = os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="sro-metrics-")


def child_exit(server, worker):
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid, _metrics_dir)


def on_exit(server):
    if _metrics_dir_is_ours:
        shutil.rmtree(_metrics_dir, ignore_errors=True)


def post_worker_init(worker):
    # Everything Django loaded at start-up (modules, URL patterns, settings)
    # lives as long as the worker: keep it out of the garbage collector's full
    # passes, which otherwise walk it again and again under load and stretch
    # the slowest requests (school search p99 at national size, bench/national.py).
    import gc

    gc.freeze()
