"""The systemd units of the deployment kit (deploy/systemd/), read by systemd itself
(`systemd-analyze verify`, offline: no systemd has to be running), and their timers held to the
schedule docs/operations/scheduled-commands.md gives each command.

`systemd-analyze verify` exits 0 on an unknown directive or a value it cannot parse (it warns and
ignores the line, as systemd would at boot), so a unit passes only when systemd says nothing at
all about it. The units run /srv/sro/.venv/bin/...; the copies checked here run this machine's
virtualenv instead, since systemd refuses a unit whose program is missing. Where systemd-analyze
cannot be had, the tests skip with a loud message, and fail in CI (CI=true).
"""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import get_commands, load_command_class

from tests.local_tools import unavailable_for
from tests.shared_cache.varnish import require_varnish

PROJECT = Path(__file__).resolve().parents[2]
UNITS = PROJECT / "deploy" / "systemd"
SCHEDULE = PROJECT / "docs" / "operations" / "scheduled-commands.md"
GUIDE = PROJECT / "docs" / "operations" / "deploying.md"
SITE_VCL = PROJECT / "deploy" / "varnish" / "site.vcl"
SHIPPED_VENV = "/srv/sro/.venv/bin/"
SITE = "sro-site@8001.service"  # an instance of the template, as the guide enables it
CRON_WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
# systemd-analyze security's exposure, in tenths: 20 is 2.0, the top of what it calls "OK".
MOST_EXPOSURE = 20


unavailable = unavailable_for("DEPLOY KIT TESTS")


def systemd_analyze(unit_dir, *args):
    if not shutil.which("systemd-analyze"):
        unavailable("systemd-analyze is missing; `apt-get install -y systemd`")
    # The kit's folder first; the trailing colon keeps systemd's own folders (timers.target...).
    env = {**os.environ, "SYSTEMD_UNIT_PATH": f"{unit_dir}:"}
    return subprocess.run(["systemd-analyze", *args], env=env, capture_output=True, text=True, timeout=60)


def verify(unit_dir, *units):
    result = systemd_analyze(unit_dir, "verify", "--man=no", *units)
    return result.returncode, (result.stdout + result.stderr).strip()


def settings(path):
    """(section, key, value) for each line of a unit file, continuation lines joined."""
    section, found = None, []
    text = re.sub(r"\\\n\s*", " ", path.read_text())
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("["):
            section = line.strip("[]")
        else:
            key, _, value = line.partition("=")
            found.append((section, key, value))
    return found


def setting(path, key):
    values = [value for _, name, value in settings(path) if name == key]
    assert len(values) == 1, f"{path.name}: {key}= {values}"
    return values[0]


def timers():
    return sorted(UNITS.glob("*.timer"))


def timer_instance(timer):
    """The command a timer runs: sro-manage@COMMAND.service."""
    unit = setting(timer, "Unit")
    match = re.fullmatch(r"sro-manage@(\w+)\.service", unit)
    assert match, f"{timer.name} runs {unit}, not a command through sro-manage@.service"
    return match[1]


def documented_schedule():
    """{command: cron schedule} from the cron lines of the scheduled commands' guide."""
    lines = re.findall(
        r"^(\S+ \S+ \S+ \S+ \S+)\s+cd /srv/sro && \.venv/bin/python manage\.py (\w+)", SCHEDULE.read_text(), re.M
    )
    assert len(lines) >= 5, "the cron lines of docs/operations/scheduled-commands.md were not found"
    return {command: cron for cron, command in lines}


def calendar_of(cron):
    """A cron schedule as a systemd calendar: the forms the guide uses (`*`, `*/N`, a number)."""
    minute, hour, day, month, weekday = cron.split()

    def field(value):
        if value == "*":
            return "*"
        if step := re.fullmatch(r"\*/(\d+)", value):
            return f"0/{step[1]}"
        assert value.isdigit(), f"this test cannot read the cron field {value!r} in {cron!r}: teach it"
        return value

    weekday = "" if weekday == "*" else CRON_WEEKDAYS[int(weekday)] + " "
    return f"{weekday}*-{field(month)}-{field(day)} {field(hour)}:{field(minute)}:00"


def normalized(unit_dir, *calendars):
    result = systemd_analyze(unit_dir, "calendar", *calendars)
    assert result.returncode == 0, result.stderr
    return re.findall(r"Normalized form: (.+)", result.stdout)


@pytest.fixture
def unit_dir(tmp_path):
    """The kit's units, running this machine's virtualenv instead of /srv/sro/.venv."""
    venv = Path(sys.executable).parent
    assert (venv / "gunicorn").exists(), f"gunicorn is not in {venv}"
    for unit in UNITS.iterdir():
        if unit.is_file():
            (tmp_path / unit.name).write_text(unit.read_text().replace(SHIPPED_VENV, f"{venv}/"))
        else:
            shutil.copytree(unit, tmp_path / unit.name)
    return tmp_path


def kit_units():
    """Every unit of the kit as systemd would start it: the site, each timer, each command it runs."""
    commands = [f"sro-manage@{timer_instance(timer)}.service" for timer in timers()]
    return [SITE, *(timer.name for timer in timers()), *commands]


def test_every_unit_of_the_kit_passes_systemd_analyze_verify(unit_dir):
    assert kit_units()[len(timers()) + 1 :], "no timer found in deploy/systemd/"
    returncode, said = verify(unit_dir, *kit_units())
    assert (returncode, said) == (0, "")


def test_a_mistyped_directive_fails_the_check(unit_dir):
    unit = unit_dir / "sro-site@.service"
    unit.write_text(unit.read_text().replace("ProtectSystem=strict", "ProtectSytem=strict"))
    returncode, said = verify(unit_dir, SITE)
    assert "Unknown key 'ProtectSytem'" in said


def test_a_value_systemd_cannot_read_fails_the_check(unit_dir):
    timer = unit_dir / "sro-backup.timer"
    timer.write_text(re.sub(r"OnCalendar=.*", "OnCalendar=daily at 2:30", timer.read_text()))
    returncode, said = verify(unit_dir, timer.name)
    assert "Failed to parse calendar specification" in said


def test_a_program_that_is_not_there_fails_the_check(unit_dir):
    unit = unit_dir / "sro-site@.service"
    unit.write_text(unit.read_text().replace("/gunicorn ", "/gunicron "))
    returncode, said = verify(unit_dir, SITE)
    assert returncode != 0 and "gunicron" in said


def test_every_scheduled_command_has_a_timer_on_its_documented_schedule(unit_dir):
    schedule = documented_schedule()
    timed = {timer_instance(timer): timer for timer in timers()}
    assert sorted(timed) == sorted(schedule), "one timer for each cron line of scheduled-commands.md, no other"
    for command, cron in schedule.items():
        timer = timed[command]
        assert timer.name == f"sro-{command}.timer"
        on_calendar = setting(timer, "OnCalendar")
        assert normalized(unit_dir, on_calendar) == normalized(unit_dir, calendar_of(cron)), (
            f"{timer.name} runs at {on_calendar!r}, the guide says {cron!r}"
        )


def test_the_calendar_comparison_tells_schedules_apart(unit_dir):
    assert normalized(unit_dir, calendar_of("0 7 * * 1")) == ["Mon *-*-* 07:00:00"]
    assert normalized(unit_dir, calendar_of("*/5 * * * *")) == normalized(unit_dir, "*:0/5")
    assert normalized(unit_dir, calendar_of("30 2 * * *")) != normalized(unit_dir, "*-*-* 02:03")


def test_every_timer_runs_a_command_that_exists():
    commands = get_commands()
    for timer in timers():
        command = timer_instance(timer)
        assert command in commands, f"{timer.name}: no manage.py command {command}"
        assert hasattr(load_command_class(commands[command], command), "handle")


@pytest.mark.parametrize("template", ["sro-site@.service", "sro-manage@.service"])
def test_the_services_run_as_the_site_user_in_a_sandbox(template):
    found = {key: value for _, key, value in settings(UNITS / template)}
    assert found["User"] == found["Group"] == "sro"
    assert found["WorkingDirectory"] == "/srv/sro"
    assert found["EnvironmentFile"] == "/srv/sro/.env"
    assert found["ProtectSystem"] == "strict"
    assert found["NoNewPrivileges"] == found["PrivateTmp"] == found["ProtectHome"] == "yes"
    assert "/srv/sro/media" in found["ReadWritePaths"].split()


@pytest.mark.parametrize("unit", [SITE, "sro-manage@backup.service"])
def test_systemd_rates_the_services_exposure_as_ok(unit_dir, unit):
    result = systemd_analyze(unit_dir, "security", "--offline=yes", f"--threshold={MOST_EXPOSURE}", unit)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr


def test_only_the_backup_command_may_write_the_backups_folder():
    def writable(template):
        return setting(UNITS / template, "ReadWritePaths").split()

    assert "/srv/sro/backups" in writable("sro-manage@.service")
    assert "/srv/sro/backups" not in writable("sro-site@.service")


def test_the_guide_starts_the_instances_varnish_sends_requests_to():
    enable = re.search(r"^systemctl enable --now (sro-site@\d+.*)$", GUIDE.read_text(), re.M)
    assert enable, "the guide's `systemctl enable --now sro-site@...` line was not found"
    started = set(re.findall(r"sro-site@(\d+)", enable[1]))
    backends = set(re.findall(r'\.port = "(\d+)"', SITE_VCL.read_text()))
    assert backends and started == backends


def test_varnish_probes_each_instance_with_a_host_name_the_site_accepts():
    # Without .host_header, Varnish asks /healthz as `Host: 127.0.0.1`: a 400 with a production
    # ALLOWED_HOSTS, and every instance taken for down.
    backends = re.findall(r"backend \w+ \{(.*?)\n\}", SITE_VCL.read_text(), re.S)
    assert backends
    for backend in backends:
        host = re.search(r'\.host_header = "([^"]+)";', backend)
        assert host and not re.fullmatch(r"[\d.:]+", host[1]), backend


def test_varnish_drop_in_runs_the_kits_vcl_on_this_host_only(unit_dir):
    require_varnish()
    debian = next(
        (
            p
            for p in (Path("/lib/systemd/system/varnish.service"), Path("/usr/lib/systemd/system/varnish.service"))
            if p.exists()
        ),
        None,
    )
    if debian is None:
        unavailable("Debian's varnish.service is missing; `apt-get install -y varnish varnish-modules`")
    returncode, said = verify(unit_dir, "varnish.service")
    assert (returncode, said) == (0, "")
    start = [value for _, key, value in settings(UNITS / "varnish.service.d" / "sro.conf") if key == "ExecStart"]
    assert start[0] == "", "the drop-in must clear Debian's ExecStart before giving its own"
    command = start[1].split()
    assert command[command.index("-a") + 1] == "127.0.0.1:6081"
    assert command[command.index("-f") + 1] == "/etc/varnish/default.vcl"
