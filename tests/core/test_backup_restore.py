"""`dangvien backup` and `dangvien restore`: counts and checksums match the manifest after a
restore, a tampered backup is refused, a running app never serves a page of data that is gone,
and the SQLite file and the backups are readable by their owner only."""

import io
import json
import os
import subprocess
import sys
import tarfile
from pathlib import Path

import psycopg
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections

from dangvien.core.models import DataGeneration, Holiday
from dangvien.core.roles import Role
from tests.conftest import build_world
from tests.factories import MemberFactory

DANGVIEN = str(Path(sys.executable).with_name("dangvien"))
TIMEOUT = 180

sqlite_only = pytest.mark.skipif(
    "os.environ.get('DATABASE_URL', '').startswith('postgres')",
    reason="restores into the test database itself: on PostgreSQL the scratch-database test "
    "below covers backup and restore",
)


def tampered(source: Path, target: Path) -> None:
    """The same archive with one byte of the database changed, the manifest kept."""
    with tarfile.open(source, "r:*") as archive:
        members = {member.name: archive.extractfile(member).read() for member in archive}
    name = next(name for name in members if name.startswith("database"))
    data = bytearray(members[name])
    data[len(data) // 2] ^= 0xFF
    members[name] = bytes(data)
    with tarfile.open(target, "w") as archive:
        for member_name, content in members.items():
            info = tarfile.TarInfo(member_name)
            info.size = len(content)
            archive.addfile(info, io.BytesIO(content))


def with_manifest(source: Path, target: Path, change) -> None:
    """The same archive with its manifest changed by `change` (the data and its SHA-256 kept)."""
    with tarfile.open(source, "r:*") as archive:
        members = {member.name: archive.extractfile(member).read() for member in archive}
    manifest = json.loads(members["manifest.json"])
    change(manifest)
    members["manifest.json"] = json.dumps(manifest).encode()
    with tarfile.open(target, "w") as archive:
        for member_name, content in members.items():
            info = tarfile.TarInfo(member_name)
            info.size = len(content)
            archive.addfile(info, io.BytesIO(content))


@sqlite_only
@pytest.mark.django_db(transaction=True)
def test_backup_change_restore_matches_the_manifest(tmp_path):
    world = build_world()
    backup_file = tmp_path / "dangvien.backup"
    call_command("backup", str(backup_file), stdout=io.StringIO())
    assert backup_file.stat().st_mode & 0o777 == 0o600
    MemberFactory(full_name="Người Thêm Sau Sao Lưu", branch=world.branch)
    Holiday.objects.all().delete()
    out = io.StringIO()
    call_command("restore", str(backup_file), yes=True, stdout=out)
    assert "mọi bảng khớp số dòng và mã kiểm tra" in out.getvalue()
    assert "KHÁC" not in out.getvalue()
    with tarfile.open(backup_file, "r:*") as archive:
        manifest = json.load(archive.extractfile("manifest.json"))
    assert manifest["tables"]["members_member"]["rows"] == 3
    assert manifest["migrations"]["core"][0] == "0001_initial"
    from dangvien.members.models import Member

    assert not Member.unscoped.filter(full_name="Người Thêm Sau Sao Lưu").exists()
    assert Holiday.objects.count() == manifest["tables"]["core_holiday"]["rows"] > 0
    verify = io.StringIO()
    call_command("backup", str(backup_file), verify=True, stdout=verify)
    assert "Mọi bảng trong tệp khớp" in verify.getvalue()


@sqlite_only
@pytest.mark.django_db(transaction=True)
def test_a_tampered_backup_is_refused_and_nothing_changes(tmp_path):
    world = build_world()
    good, bad = tmp_path / "good.backup", tmp_path / "bad.backup"
    call_command("backup", str(good), stdout=io.StringIO())
    tampered(good, bad)
    MemberFactory(full_name="Người Vẫn Còn", branch=world.branch)
    with pytest.raises(CommandError, match="không khớp mã kiểm tra"):
        call_command("restore", str(bad), yes=True, stdout=io.StringIO())
    with pytest.raises(CommandError, match="không khớp mã kiểm tra"):
        call_command("backup", str(bad), verify=True, stdout=io.StringIO())
    from dangvien.members.models import Member

    assert Member.unscoped.filter(full_name="Người Vẫn Còn").exists()


@sqlite_only
@pytest.mark.django_db(transaction=True)
def test_restore_refused_without_confirmation(tmp_path, monkeypatch):
    world = build_world()
    backup_file = tmp_path / "dangvien.backup"
    call_command("backup", str(backup_file), stdout=io.StringIO())
    MemberFactory(full_name="Người Vẫn Còn", branch=world.branch)
    monkeypatch.setattr("builtins.input", lambda prompt: "không")
    with pytest.raises(CommandError, match="Đã hủy"):
        call_command("restore", str(backup_file), stdout=io.StringIO())
    from dangvien.members.models import Member

    assert Member.unscoped.filter(full_name="Người Vẫn Còn").exists()


@sqlite_only
@pytest.mark.django_db(transaction=True)
def test_a_list_cached_before_a_restore_is_not_served_after_it(tmp_path, settings):
    settings.LIST_CACHE_SECONDS = 600
    world = build_world()
    backup_file = tmp_path / "dangvien.backup"
    call_command("backup", str(backup_file), stdout=io.StringIO())
    client = world.client(Role.OFFICER)
    MemberFactory(full_name="Người Đã Bị Khôi Phục Mất", branch=world.branch)
    assert "Người Đã Bị Khôi Phục Mất" in client.get("/members/").content.decode()
    call_command("restore", str(backup_file), yes=True, stdout=io.StringIO())
    # The same number of changes again: the unit versions are back where they were.
    MemberFactory(full_name="Người Mới Sau Khôi Phục", branch=world.branch)
    client = world.client(Role.OFFICER)  # the session made after the backup is gone with it
    page = client.get("/members/").content.decode()
    assert "Người Mới Sau Khôi Phục" in page
    assert "Người Đã Bị Khôi Phục Mất" not in page


def test_the_sqlite_file_and_its_folder_are_created_for_the_owner_only(tmp_path):
    data_dir = tmp_path / "data"
    env = {**os.environ, "DANGVIEN_DATA_DIR": str(data_dir)}
    env.pop("DATABASE_URL", None)
    subprocess.run([DANGVIEN, "check"], env=env, check=True, timeout=TIMEOUT, capture_output=True)
    assert (data_dir / "dangvien.sqlite3").stat().st_mode & 0o777 == 0o600
    assert data_dir.stat().st_mode & 0o777 == 0o700


# ------------------------------------------------------------------------------ PostgreSQL


@pytest.fixture
def scratch_database():
    """A copy of the test database under another name, dropped afterwards: the restore runs
    there, never in the database the other tests use."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (runs in CI's PostgreSQL pass)")
    database = connection.settings_dict
    name = f"{database['NAME']}_backup_scratch"
    address = f"{database['USER']}@{database['HOST'] or '127.0.0.1'}:{database['PORT'] or 5432}"
    for alias in connections:
        connections[alias].close()
    admin = psycopg.connect(
        host=database["HOST"] or "127.0.0.1",
        port=database["PORT"] or 5432,
        user=database["USER"],
        password=database["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    )
    admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
    admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{database["NAME"]}"')
    password = f":{database['PASSWORD']}" if database["PASSWORD"] else ""
    user, host = address.split("@")
    try:
        yield f"postgres://{user}{password}@{host}/{name}"
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def dangvien(url: str, *args: str, path: str | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": url}
    env.pop("DANGVIEN_REPLICA_DATABASE_URL", None)
    if path is not None:
        env["PATH"] = path
    return subprocess.run(
        [DANGVIEN, *args], env=env, timeout=TIMEOUT, capture_output=True, text=True
    )


def scalar(url: str, code: str) -> str:
    result = dangvien(url, "shell", "-c", code)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def sql(url: str, statement: str) -> str:
    """The first column of the first row a statement gives in the scratch database (straight
    SQL: a `dangvien shell` would start Django for each count)."""
    with psycopg.connect(url, autocommit=True) as scratch:
        cursor = scratch.execute(statement)
        return str(cursor.fetchone()[0]) if cursor.description else ""


COUNT_HOLIDAYS = "SELECT count(*) FROM core_holiday"
TOKEN = "SELECT token FROM core_datageneration"
DELETE_HOLIDAYS = "DELETE FROM core_holiday"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_postgresql_backup_and_restore_in_a_scratch_database(tmp_path, scratch_database):
    url, backup_file = scratch_database, tmp_path / "pg.backup"
    holidays, token_before = sql(url, COUNT_HOLIDAYS), sql(url, TOKEN)
    result = dangvien(url, "backup", str(backup_file))
    assert result.returncode == 0, result.stderr
    assert backup_file.stat().st_mode & 0o777 == 0o600
    sql(url, DELETE_HOLIDAYS)
    assert sql(url, COUNT_HOLIDAYS) == "0"
    bad = tmp_path / "bad.backup"
    tampered(backup_file, bad)
    refused = dangvien(url, "restore", "--yes", str(bad))
    assert refused.returncode != 0 and "không khớp mã kiểm tra" in refused.stderr
    assert sql(url, COUNT_HOLIDAYS) == "0"
    restored = dangvien(url, "restore", "--yes", str(backup_file))
    assert restored.returncode == 0, restored.stdout + restored.stderr
    assert "mọi bảng khớp số dòng và mã kiểm tra" in restored.stdout
    assert sql(url, COUNT_HOLIDAYS) == holidays != "0"
    assert sql(url, TOKEN) != token_before
    verified = dangvien(url, "backup", "--verify", str(backup_file))
    assert verified.returncode == 0, verified.stderr
    assert "core_holiday" in verified.stdout


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_missing_pg_dump_is_a_clear_error(tmp_path, scratch_database):
    result = dangvien(scratch_database, "backup", str(tmp_path / "x"), path=str(tmp_path))
    assert result.returncode != 0
    assert "Không tìm thấy chương trình pg_dump" in result.stderr
    assert not (tmp_path / "x").exists()
    assert DataGeneration._meta.db_table == "core_datageneration"


def differing_holidays(manifest: dict) -> None:
    manifest["tables"]["core_holiday"]["checksum"] = "0" * 32


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_postgresql_refuses_a_newer_backup_and_data_not_matching_its_manifest(
    tmp_path, scratch_database
):
    url, backup_file = scratch_database, tmp_path / "newer.backup"
    newer_migration = "app = 'core' AND name = '0999_from_a_newer_version'"
    scalar(url, "from dangvien.core import backup; print(backup.renew_generation())")  # seeded
    current = tmp_path / "current.backup"
    assert dangvien(url, "backup", str(current)).returncode == 0
    sql(
        url,
        "INSERT INTO django_migrations (app, name, applied) "
        "VALUES ('core', '0999_from_a_newer_version', now())",
    )
    assert dangvien(url, "backup", str(backup_file)).returncode == 0
    sql(url, f"DELETE FROM django_migrations WHERE {newer_migration}")
    sql(url, DELETE_HOLIDAYS)
    token_before = sql(url, TOKEN)
    newer = dangvien(url, "restore", "--yes", str(backup_file))
    assert newer.returncode != 0
    assert "core.0999_from_a_newer_version" in newer.stderr
    assert "phiên bản mới hơn" in newer.stderr and "không thay đổi gì" in newer.stderr
    assert sql(url, COUNT_HOLIDAYS) == "0"
    assert sql(url, TOKEN) == token_before  # refused before anything was replaced
    # A manifest whose checksums the data does not match (the data's SHA-256 still does): the
    # check inside the restore's transaction rolls everything back.
    differing = tmp_path / "differing.backup"
    with_manifest(current, differing, differing_holidays)
    refused = dangvien(url, "restore", "--yes", str(differing))
    assert refused.returncode != 0
    assert "không khớp số dòng hoặc mã kiểm tra" in refused.stderr
    assert "core_holiday" in refused.stderr and "giữ nguyên" in refused.stderr
    assert sql(url, COUNT_HOLIDAYS) == "0"
    assert sql(url, TOKEN) != token_before  # a failed restore still renews it
