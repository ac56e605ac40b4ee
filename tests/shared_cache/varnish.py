"""Varnish from Debian (varnish, varnish-modules), running the project's own VCL
(deploy/varnish/default.vcl) in front of a live Django server, for the tests and the benchmark.

Only site.vcl, the file a site edits (its backends, who may purge), is written for the run; the
rest is the deploy kit as shipped, runtime parameters (`-p`) included: those of the systemd
drop-in. Where varnishd cannot be had the tests skip with a loud message, and fail in CI
(CI=true), which installs it (`make browser-deps`).
"""

import re
import shlex
import shutil
import socket
import subprocess
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from tests.local_tools import free_port, unavailable_for

PROJECT = Path(__file__).resolve().parents[2]
KIT = PROJECT / "deploy" / "varnish"
DROP_IN = PROJECT / "deploy" / "systemd" / "varnish.service.d" / "sro.conf"


def xkey_module():
    return next(Path("/usr/lib").glob("*/varnish/vmods/libvmod_xkey.so"), None)


unavailable = unavailable_for("VARNISH TESTS")


def site_vcl(backends, purgers=("127.0.0.1",)):
    """site.vcl for this run: `backends` as (host, port), round robin, as the shipped one does."""
    lines = []
    for n, (host, port) in enumerate(backends, 1):
        lines.append(f'backend gunicorn_{n} {{ .host = "{host}"; .port = "{port}"; }}')
    lines.append("sub vcl_init {\n    new gunicorn = directors.round_robin();")
    lines += [f"    gunicorn.add_backend(gunicorn_{n});" for n in range(1, len(backends) + 1)]
    lines.append("}")
    lines.append("acl purgers {\n" + "".join(f'    "{address}";\n' for address in purgers) + "}")
    return "\n".join(lines) + "\n"


def deployed_parameters():
    """The drop-in's `-p name=value` arguments: what is measured and tested is what is deployed."""
    lines = re.sub(r"\\\n\s*", " ", DROP_IN.read_text()).splitlines()
    words = shlex.split([line for line in lines if line.startswith("ExecStart=")][-1].partition("=")[2])
    return [arg for at, word in enumerate(words) if word == "-p" for arg in ("-p", words[at + 1])]


def require_varnish():
    if not shutil.which("varnishd"):
        unavailable("varnishd is not installed; `apt-get install -y varnish varnish-modules` (make browser-deps)")
    if xkey_module() is None:
        unavailable("the xkey module is missing; `apt-get install -y varnish-modules`")


@contextmanager
def varnishd(backends, purgers=("127.0.0.1",), port=None, extra=(), vcl=KIT / "default.vcl"):
    """varnishd on 127.0.0.1:`port` (a free one by default) running `vcl`: yields its base URL."""
    require_varnish()
    workdir = Path(tempfile.mkdtemp(prefix="sro-varnish-"))
    (workdir / "vcl").mkdir()
    (workdir / "vcl" / "site.vcl").write_text(site_vcl(backends, purgers))
    port = port or free_port()
    # Its messages go to a file, not a pipe: a pipe nobody reads can fill and stall varnishd,
    # and is one more file left open at the end. The child keeps its own copy of the descriptor.
    log = workdir / "varnishd.log"
    with log.open("wb") as log_file:
        process = subprocess.Popen(
            [
                "varnishd",
                "-F",
                "-j",
                "none",  # the test's own user: no privilege separation to set up
                "-n",
                str(workdir / "state"),
                "-a",
                f"127.0.0.1:{port}",
                "-T",
                "127.0.0.1:0",
                "-p",
                f"vcl_path={workdir / 'vcl'}:{KIT}",
                "-f",
                str(vcl),
                "-s",
                "malloc,64m",
                *deployed_parameters(),
                *extra,
            ],
            stdout=subprocess.DEVNULL,
            stderr=log_file,
        )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"varnishd stopped: {log.read_text(errors='replace')[-2000:]}")
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    break
            except OSError:
                time.sleep(0.05)
        else:
            raise RuntimeError("varnishd did not start")
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=30)
        shutil.rmtree(workdir, ignore_errors=True)
