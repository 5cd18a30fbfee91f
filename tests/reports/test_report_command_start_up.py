"""`dangvien report … --format json` starts light: the process imports neither openpyxl (nor
numpy, which openpyxl imports when installed), matplotlib nor WeasyPrint, runs no system checks
(no URL configuration imported), and prints the same JSON as the command run in the tests."""

import json
import os
import sqlite3
import subprocess
import sys

import pytest
from django.db import connection

from tests.reports.commands import run_report

HEAVY = ("openpyxl", "numpy", "matplotlib", "weasyprint", "dangvien.urls")
# The console script's entry point, with what was imported written to standard error at exit.
PROBE = """
import json, sys
from dangvien.cli import main
sys.argv = ["dangvien", *sys.argv[1:]]
try:
    main()
finally:
    loaded = sorted(name for name in {heavy!r} if name in sys.modules)
    sys.stderr.write("\\nLOADED " + json.dumps(loaded) + "\\n")
"""


def database_url(tmp_path) -> str:
    """A URL of the test database for another process: it sees what the migrations wrote, not
    the test's own rows (a transactional test would empty the database for the tests after
    it, the migrations' rows too)."""
    if connection.vendor == "sqlite":  # in memory: copied to a file the process can open
        path = tmp_path / "db.sqlite3"
        connection.ensure_connection()
        target = sqlite3.connect(path)
        connection.connection.backup(target)
        target.close()
        return f"sqlite:///{path}"
    database = connection.settings_dict
    return (
        f"postgres://{database['USER']}@{database['HOST'] or '127.0.0.1'}:"
        f"{database['PORT'] or 5432}/{database['NAME']}"
    )


def run_console_script(tmp_path, *args: str) -> tuple[int, str, str, list[str]]:
    """Exit status, standard output and error, and which of HEAVY the process imported."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url(tmp_path),
        "DANGVIEN_DATA_DIR": str(tmp_path),
        "DANGVIEN_SECRET_KEY": "report-start-up-test",
    }
    env.pop("DANGVIEN_REPLICA_DATABASE_URL", None)
    env.pop("DJANGO_SETTINGS_MODULE", None)  # the console script sets its own
    result = subprocess.run(
        [sys.executable, "-c", PROBE.format(heavy=HEAVY), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    error, loaded = result.stderr.rsplit("LOADED ", 1)
    return result.returncode, result.stdout, error, json.loads(loaded)


@pytest.mark.django_db
def test_the_json_report_is_printed_without_the_workbook_and_chart_libraries(tmp_path):
    status, out, _error, loaded = run_console_script(
        tmp_path, "report", "structure", "--org", "*", "--year", "2025"
    )

    assert status == 0
    assert loaded == []
    printed = json.loads(out)
    assert printed["org"] == "*" and printed["as_of"] == "2025-12-31"
    assert out == run_report("structure", "--org", "*", "--year", "2025")[1]


@pytest.mark.django_db
def test_a_refused_report_is_worded_as_before_and_loads_nothing_heavy(tmp_path):
    status, out, error, loaded = run_console_script(
        tmp_path, "report", "quality", "--org", "P", "--year", "2025"
    )

    assert status == 1
    assert out == ""
    assert "Không tìm thấy tổ chức có mã P." in error
    assert loaded == []
