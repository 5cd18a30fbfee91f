"""`kill -9` of `dangvien import members` midway through its write leaves nothing behind, and
its import lock dies with it: the next import runs at once (SQLite and PostgreSQL passes)."""

import time

import pytest

from dangvien.core.models import AuditEntry
from dangvien.members.models import Member, MemberEvent, Placement
from dangvien.reports.models import DirtyUnit
from tests.core.import_processes import Database, PausedImport, dangvien, members_file

TABLES = [Member, Placement, MemberEvent, AuditEntry, DirtyUnit]


@pytest.mark.child_processes
@pytest.mark.django_db(transaction=True)
def test_kill_9_midway_through_a_large_import_leaves_nothing(world, tmp_path):
    database = Database(tmp_path)
    big = members_file(tmp_path / "lon.csv", 5000, "KILL", world.branch.code)
    before = {model.__name__: database.count(model) for model in TABLES}

    running = PausedImport(database, big, pause_after=4000)
    assert running.written == 4000  # members written in its open transaction
    running.kill()
    assert running.process.returncode == -9

    assert {model.__name__: database.count(model) for model in TABLES} == before
    # The lock died with the process: a new import is not told to wait, and writes everything.
    small = members_file(tmp_path / "nho.csv", 3, "SAU", world.branch.code)
    started = time.monotonic()
    status, out, err, _seconds = dangvien(database, "import", "members", str(small))
    assert (status, err) == (0, ""), err
    assert "tạo mới 3" in out
    assert database.count(Member) == before["Member"] + 3
    print(
        f"killed after {running.written} rows written; next import took "
        f"{time.monotonic() - started:.2f} s"
    )
