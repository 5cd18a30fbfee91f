"""`dangvien restore` when things go wrong: the data generation token is renewed with the data
and again after the last step, also when a step fails, so a running app never serves a cached
page of data that is gone; a backup from a newer version is refused with nothing changed; an
older one is migrated forward; a failed verification still leaves a database the app can use.
(PostgreSQL: the scratch-database tests in test_backup_restore.py.)"""

import io
import os
import shutil
import sqlite3
import subprocess

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import OperationalError, connection
from django.db.migrations.recorder import MigrationRecorder

from dangvien.core import backup
from dangvien.core.models import DataGeneration
from dangvien.core.roles import Role
from dangvien.members.models import Member
from tests.conftest import build_world
from tests.core.test_backup_restore import DANGVIEN, TIMEOUT, sqlite_only
from tests.factories import MemberFactory
from tests.tools import own_sqlite_only

FUTURE_MIGRATION = "0999_from_a_newer_version"
# The last core migration before the data generation token existed: a backup of this schema is
# one "made by an older version".
OLD_CORE = "0005_vietnamese_holidays"


def token() -> str:
    return DataGeneration.objects.get().token


def seed_token() -> str:
    """The row migration core.0006 seeds (a transactional test's flush removed it)."""
    DataGeneration.objects.update_or_create(pk=1, defaults={"token": "before-the-restore"})
    return token()


@sqlite_only
@pytest.mark.django_db(transaction=True)
def test_the_token_is_renewed_with_the_data_and_again_at_the_end(tmp_path, monkeypatch):
    build_world()
    before = seed_token()
    backup_file = tmp_path / "dangvien.backup"
    call_command("backup", str(backup_file), stdout=io.StringIO())
    seen = []
    real_digests = backup.live_digests

    def digests_and_token():
        seen.append(token())  # right after the replacement, before migrate and recount
        return real_digests()

    monkeypatch.setattr(backup, "live_digests", digests_and_token)
    call_command("restore", str(backup_file), yes=True, stdout=io.StringIO())
    assert seen and seen[0] != before
    assert token() not in {before, seen[0]}


@sqlite_only
@pytest.mark.django_db(transaction=True)
def test_a_restore_failing_midway_still_renews_the_token(tmp_path, settings, monkeypatch):
    settings.LIST_CACHE_SECONDS = 600
    world = build_world()
    before = seed_token()
    backup_file = tmp_path / "dangvien.backup"
    call_command("backup", str(backup_file), stdout=io.StringIO())
    client = world.client(Role.OFFICER)
    MemberFactory(full_name="Người Đã Bị Khôi Phục Mất", branch=world.branch)
    assert "Người Đã Bị Khôi Phục Mất" in client.get("/members/").content.decode()

    def broken_disk():
        raise OperationalError("disk I/O error")

    monkeypatch.setattr(backup, "live_digests", broken_disk)
    with pytest.raises(OperationalError, match="disk I/O error"):
        call_command("restore", str(backup_file), yes=True, stdout=io.StringIO())
    assert token() != before
    # The same number of changes again: the unit versions are back where they were, so only
    # the token tells the page cached before the restore from the one of the restored data.
    MemberFactory(full_name="Người Mới Sau Khôi Phục", branch=world.branch)
    page = world.client(Role.OFFICER).get("/members/").content.decode()
    assert "Người Mới Sau Khôi Phục" in page
    assert "Người Đã Bị Khôi Phục Mất" not in page


@sqlite_only
@pytest.mark.django_db(transaction=True)
def test_a_backup_from_a_newer_version_is_refused_with_nothing_changed(tmp_path):
    world = build_world()
    backup_file = tmp_path / "newer.backup"
    recorder = MigrationRecorder(connection)
    recorder.record_applied("core", FUTURE_MIGRATION)
    try:
        call_command("backup", str(backup_file), stdout=io.StringIO())
    finally:
        recorder.record_unapplied("core", FUTURE_MIGRATION)
    MemberFactory(full_name="Người Vẫn Còn", branch=world.branch)
    before = seed_token()
    try:
        with pytest.raises(CommandError) as refused:
            call_command("restore", str(backup_file), yes=True, stdout=io.StringIO())
    finally:
        recorder.record_unapplied("core", FUTURE_MIGRATION)  # had it been restored
    message = str(refused.value)
    assert "phiên bản mới hơn" in message
    assert f"core.{FUTURE_MIGRATION}" in message
    assert "không thay đổi gì" in message
    assert Member.unscoped.filter(full_name="Người Vẫn Còn").exists()
    assert token() == before


# --------------------------------------------- through the `dangvien` CLI, in their own SQLite


def run(data_dir, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DANGVIEN_DATA_DIR": str(data_dir)}
    env.pop("DATABASE_URL", None)
    env.pop("DANGVIEN_REPLICA_DATABASE_URL", None)
    return subprocess.run(
        [DANGVIEN, *args], env=env, timeout=TIMEOUT, capture_output=True, text=True
    )


def ok(data_dir, *args: str) -> str:
    result = run(data_dir, *args)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def shell(data_dir, code: str) -> str:
    return ok(data_dir, "shell", "-c", code).strip().splitlines()[-1]


STATE = (
    "from dangvien.core.models import DataGeneration, Holiday; "
    "from dangvien.members.models import Member; "
    "print(DataGeneration.objects.get().token, Holiday.objects.count(), Member.unscoped.count())"
)


@pytest.fixture(scope="module")
def older_backup(tmp_path_factory):
    """A backup of a database migrated only to core.OLD_CORE (holidays, no members table, no
    generation token), and a database at the code's schema to restore it into."""
    folder = tmp_path_factory.mktemp("older")
    ok(folder / "old", "migrate", "core", OLD_CORE)
    ok(folder / "old", "backup", str(folder / "old.backup"))
    ok(folder / "current", "migrate")
    return folder / "old.backup", folder / "current" / "dangvien.sqlite3"


def current_database(template, tmp_path):
    """A copy of the up-to-date database without holidays, so a restore visibly brings them."""
    data_dir = tmp_path / "data"
    data_dir.mkdir(mode=0o700)
    shutil.copy(template, data_dir / "dangvien.sqlite3")
    with sqlite3.connect(data_dir / "dangvien.sqlite3") as database:
        database.execute("DELETE FROM core_holiday")
    database.close()
    return data_dir


def pending_migrations(data_dir) -> list[str]:
    plan = ok(data_dir, "showmigrations", "--plan")
    return [line for line in plan.splitlines() if line.startswith("[ ]")]


@own_sqlite_only
@pytest.mark.child_processes
def test_an_older_backup_is_restored_then_migrated_forward(older_backup, tmp_path):
    old_backup, template = older_backup
    data_dir = current_database(template, tmp_path)
    token_before, holidays, _ = shell(data_dir, STATE).split()
    assert holidays == "0"
    restored = run(data_dir, "restore", "--yes", str(old_backup))
    assert restored.returncode == 0, restored.stdout + restored.stderr
    assert "đang chạy migrate" in restored.stdout
    assert "mọi bảng khớp số dòng và mã kiểm tra" in restored.stdout
    assert pending_migrations(data_dir) == []
    token_after, holidays, members = shell(data_dir, STATE).split()
    assert int(holidays) > 0 and members == "0"
    assert token_after != token_before


# The verification after the replacement made to fail: one table's checksum differs.
FAILED_VERIFICATION = """
from unittest import mock
from django.core.management import call_command
from dangvien.core import backup
real = backup.live_digests
def differing():
    digests = real()
    digests["core_holiday"]["checksum"] = "0" * 64
    return digests
with mock.patch.object(backup, "live_digests", differing):
    call_command("restore", {file!r}, yes=True)
"""


@own_sqlite_only
@pytest.mark.child_processes
def test_a_failed_verification_still_leaves_a_usable_database(older_backup, tmp_path):
    old_backup, template = older_backup
    data_dir = current_database(template, tmp_path)
    token_before = shell(data_dir, STATE).split()[0]
    failed = run(data_dir, "shell", "-c", FAILED_VERIFICATION.format(file=str(old_backup)))
    assert failed.returncode != 0
    assert "KHÁC" in failed.stdout
    # The app's schema is complete and its tables answer; cached pages are not served again.
    assert "đang chạy migrate" in failed.stdout and "Đã đếm lại" in failed.stdout
    assert pending_migrations(data_dir) == []
    token_after, holidays, members = shell(data_dir, STATE).split()
    assert int(holidays) > 0 and members == "0"
    assert token_after != token_before
    assert "KHÔNG khớp manifest" in failed.stderr
    assert "ứng dụng vẫn chạy được" in failed.stderr
