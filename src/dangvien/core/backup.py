"""Backups of the whole database and their restore, verified by row counts and checksums.

A backup is one tar file holding `manifest.json` and the database: a consistent online copy of
the SQLite file (the sqlite3 backup API, gzip-compressed) or a PostgreSQL dump (`pg_dump -Fc`,
taken in the snapshot in which the manifest's checksums are computed). The manifest records
the row count and a checksum of every table (rows read in primary-key order), the applied
migrations, the app version and the SHA-256 of the database file, so a restore refuses a file
that was changed or truncated and proves afterwards that the database holds what was saved.

A restore refuses, with nothing changed, a backup made by a newer version of the code (migrations
this code does not know) and, on PostgreSQL, data that does not match the manifest (checked
inside the restore's transaction). It renews the data generation token (core.models.
DataGeneration) in the same step as it replaces the data: a running app's cached pages are kept
under that token, so none rendered from the replaced data is served again.
"""

import datetime
import hashlib
import json
import os
import secrets
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.db import connection, transaction

import dangvien

FORMAT = "dangvien-backup"
FORMAT_VERSION = 1
MANIFEST_NAME = "manifest.json"
DATA_NAMES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
# Not data: the generation token is renewed by every restore (it would never match).
GENERATION_TABLE = "core_datageneration"
SKIPPED_TABLES = frozenset({GENERATION_TABLE})
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore refused or failed; the message (Vietnamese, then English) says why."""


def engine() -> str:
    vendor = connection.vendor
    if vendor not in DATA_NAMES:
        raise BackupError(f"Không hỗ trợ sao lưu cơ sở dữ liệu {vendor} / unsupported database.")
    return vendor


# ------------------------------------------------------------------------------- checksums


def _sqlite_digests(raw: sqlite3.Connection) -> dict[str, dict]:
    """Rows and SHA-256 of every table of a SQLite database, rows in primary-key order."""
    tables = [
        name
        for (name,) in raw.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' "
            "AND name NOT LIKE 'sqlite_%' ORDER BY name"
        )
        if name not in SKIPPED_TABLES
    ]
    digests = {}
    for table in tables:
        quoted = '"' + table.replace('"', '""') + '"'
        info = list(raw.execute(f"PRAGMA table_info({quoted})"))
        keys = [row[1] for row in sorted(info, key=lambda row: row[5]) if row[5]]
        order = keys or [row[1] for row in info]
        order_sql = ", ".join('"' + name.replace('"', '""') + '"' for name in order)
        # quote(): each value as its SQL literal, text whatever the connection's converters.
        values = ", ".join('quote("' + row[1].replace('"', '""') + '")' for row in info)
        digest, count = hashlib.sha256(), 0
        for row in raw.execute(f"SELECT {values} FROM {quoted} ORDER BY {order_sql}"):
            digest.update(repr(row).encode())
            digest.update(b"\n")
            count += 1
        digests[table] = {"rows": count, "checksum": digest.hexdigest()}
    return digests


_PG_TABLES = """
    SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') ORDER BY c.relname
"""
_PG_KEYS = """
    SELECT a.attname FROM pg_index i
    JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey::int2[])
    WHERE i.indrelid = %s::regclass AND i.indisprimary
    ORDER BY array_position(i.indkey::int2[], a.attnum)
"""


def _postgres_digests(cursor) -> dict[str, dict]:
    """Rows and MD5 of every table, computed by PostgreSQL over the rows' text in key order."""
    cursor.execute(_PG_TABLES)
    tables = [name for (name,) in cursor.fetchall() if name not in SKIPPED_TABLES]
    quote = connection.ops.quote_name
    digests = {}
    for table in tables:
        cursor.execute(_PG_KEYS, [quote(table)])
        keys = [quote(name) for (name,) in cursor.fetchall()]
        order = ", ".join(f"t.{key}" for key in keys) or "t::text"
        cursor.execute(
            f"SELECT count(*), md5(coalesce(string_agg(md5(t::text), '' ORDER BY {order}), '')) "
            f"FROM {quote(table)} t"
        )
        rows, checksum = cursor.fetchone()
        digests[table] = {"rows": rows, "checksum": checksum}
    return digests


def live_digests() -> dict[str, dict]:
    """The counts and checksums of the database the app uses now."""
    if engine() == "sqlite":
        connection.ensure_connection()
        return _sqlite_digests(connection.connection)
    with connection.cursor() as cursor:
        return _postgres_digests(cursor)


def _applied_migrations(cursor) -> dict[str, list[str]]:
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
    applied: dict[str, list[str]] = {}
    for app, name in cursor.fetchall():
        applied.setdefault(app, []).append(name)
    return applied


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


# ----------------------------------------------------------------------------------- backup


def _private_file(path: Path):
    """A new file only its owner can read (0600), opened for writing."""
    return os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb")


def _manifest(kind: str, data: Path, tables: dict, migrations: dict) -> dict:
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "app_version": dangvien.__version__,
        "engine": kind,
        "created_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "database_file": {
            "name": DATA_NAMES[kind],
            "bytes": data.stat().st_size,
            "sha256": _sha256(data),
        },
        "migrations": migrations,
        "tables": tables,
    }


def _dump_sqlite(target: Path) -> tuple[dict, dict]:
    """A consistent copy of the live SQLite database (the backup API), and its digests."""
    connection.ensure_connection()
    with _private_file(target):
        pass
    copy = sqlite3.connect(target)
    try:
        connection.connection.backup(copy)
        tables = _sqlite_digests(copy)
        migrations = _applied_migrations(copy.cursor())
    finally:
        copy.close()
    return tables, migrations


def _dump_postgres(target: Path) -> tuple[dict, dict]:
    """`pg_dump -Fc` of the snapshot in which the digests are computed."""
    tool = _tool("pg_dump")
    connection.close()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        cursor.execute("SELECT pg_export_snapshot()")
        (snapshot,) = cursor.fetchone()
        tables = _postgres_digests(cursor)
        migrations = _applied_migrations(cursor)
        with _private_file(target):
            pass
        _run(
            [
                tool,
                "-Fc",
                "--no-owner",
                "--no-privileges",
                f"--snapshot={snapshot}",
                "-f",
                str(target),
            ],
        )
    return tables, migrations


def create_backup(path: Path) -> dict:
    """Write the backup file `path` (0600; refused if it exists); returns its manifest."""
    path = Path(path)
    if path.exists():
        raise BackupError(f"Tệp {path} đã có, không ghi đè / {path} exists, not overwritten.")
    kind = engine()
    with tempfile.TemporaryDirectory(prefix="dangvien-backup-") as work:
        data = Path(work) / DATA_NAMES[kind]
        tables, migrations = (_dump_sqlite if kind == "sqlite" else _dump_postgres)(data)
        manifest = _manifest(kind, data, tables, migrations)
        manifest_file = Path(work) / MANIFEST_NAME
        manifest_file.write_text(json.dumps(manifest, ensure_ascii=False, indent=1))
        partial = path.with_name(path.name + ".partial")
        partial.unlink(missing_ok=True)
        with _private_file(partial) as handle:
            mode = "w:gz" if kind == "sqlite" else "w"
            options = {"compresslevel": 6} if kind == "sqlite" else {}
            with tarfile.open(fileobj=handle, mode=mode, **options) as archive:
                archive.add(manifest_file, arcname=MANIFEST_NAME)
                archive.add(data, arcname=DATA_NAMES[kind])
        partial.rename(path)
    return manifest


# ------------------------------------------------------------------------------ verifying


@dataclass(frozen=True)
class TableCheck:
    table: str
    expected_rows: int | None
    actual_rows: int | None
    checksum_matches: bool

    @property
    def ok(self) -> bool:
        return self.checksum_matches and self.expected_rows == self.actual_rows


def compare(expected: dict, actual: dict) -> list[TableCheck]:
    """One line per table of either side: counts and whether the checksums agree."""
    checks = []
    for table in sorted(set(expected) | set(actual)):
        want, got = expected.get(table), actual.get(table)
        checks.append(
            TableCheck(
                table,
                want["rows"] if want else None,
                got["rows"] if got else None,
                bool(want and got and want["checksum"] == got["checksum"]),
            )
        )
    return checks


@contextmanager
def opened(path: Path) -> Iterator[tuple[dict, Path]]:
    """The manifest and the database file of a backup, extracted to a private temporary
    folder; BackupError unless the file is a complete backup whose data matches its SHA-256."""
    path = Path(path)
    refused = f"Tệp sao lưu {path} không hợp lệ / invalid backup file"
    if not path.is_file():
        raise BackupError(f"Không tìm thấy tệp {path} / file not found.")
    with tempfile.TemporaryDirectory(prefix="dangvien-restore-") as work:
        try:
            with tarfile.open(path, "r:*") as archive:
                manifest = json.load(archive.extractfile(MANIFEST_NAME))
                if manifest.get("format") != FORMAT or manifest.get("engine") not in DATA_NAMES:
                    raise BackupError(f"{refused}: không phải tệp sao lưu dangvien.")
                name = DATA_NAMES[manifest["engine"]]
                data = Path(work) / name
                with archive.extractfile(name) as source, _private_file(data) as target:
                    shutil.copyfileobj(source, target, CHUNK)
        except BackupError:
            raise
        except (tarfile.TarError, KeyError, OSError, ValueError, TypeError, EOFError) as exc:
            raise BackupError(f"{refused}: {exc}") from exc
        expected = manifest.get("database_file", {})
        if data.stat().st_size != expected.get("bytes") or _sha256(data) != expected.get("sha256"):
            raise BackupError(
                f"{refused}: dữ liệu không khớp mã kiểm tra trong manifest (tệp đã bị sửa hoặc "
                "hỏng) / the data does not match the manifest's SHA-256."
            )
        yield manifest, data


def verify_contents(manifest: dict, data: Path) -> list[TableCheck]:
    """Check the backed-up database itself against its manifest: for SQLite every table's
    count and checksum; for PostgreSQL that pg_restore reads the archive's table of contents
    (no lines: the counts and checksums are proven after a restore)."""
    if manifest["engine"] == "sqlite":
        copy = sqlite3.connect(f"file:{data}?mode=ro", uri=True)
        try:
            return compare(manifest["tables"], _sqlite_digests(copy))
        finally:
            copy.close()
    _run([_tool("pg_restore"), "--list", str(data)])
    return []


# ---------------------------------------------------------------------------------- restore


def unknown_migrations(manifest: dict) -> list[str]:
    """The migrations applied in the backup that this code does not have (nor replaces by a
    squashed one), as "app.name": the backup was made by a newer version."""
    from django.db.migrations.loader import MigrationLoader

    on_disk = MigrationLoader(None, ignore_no_migrations=True).disk_migrations
    known = set(on_disk)
    for migration in on_disk.values():
        known.update(migration.replaces or ())
    applied = manifest.get("migrations") or {}
    return sorted(
        f"{app}.{name}"
        for app, names in applied.items()
        for name in names
        if (app, name) not in known
    )


def check_restorable(manifest: dict) -> None:
    """BackupError, before anything is replaced, unless this code can run on the backup's data:
    the same engine, and no migration newer than the code (an older backup is migrated forward
    after the restore)."""
    if manifest["engine"] != engine():
        raise BackupError(
            f"Tệp sao lưu của {manifest['engine']} không khôi phục được vào {engine()} / "
            "the backup is of another database engine."
        )
    unknown = unknown_migrations(manifest)
    if unknown:
        raise BackupError(
            f"Tệp sao lưu do phiên bản mới hơn của phần mềm tạo (phiên bản "
            f"{manifest.get('app_version', '?')}, đang chạy {dangvien.__version__}): có "
            f"{len(unknown)} migration mà mã nguồn này không biết: {', '.join(unknown)}. Hãy "
            "cập nhật phần mềm rồi khôi phục lại; không thay đổi gì / the backup was made by a "
            "newer version (unknown migrations), nothing restored."
        )


def restore(manifest: dict, data: Path) -> str:
    """Replace the live database with the backup's, in one step that also renews the data
    generation token (when the backup has its table); returns the new token."""
    check_restorable(manifest)
    token = secrets.token_hex(16)
    if manifest["engine"] == "sqlite":
        _set_generation_in_copy(data, token)
        connection.ensure_connection()
        source = sqlite3.connect(f"file:{data}?mode=ro", uri=True)
        try:
            source.backup(connection.connection)
        finally:
            source.close()
    else:
        _restore_postgres(manifest, data, token)
    return token


def _set_generation_in_copy(data: Path, token: str) -> None:
    """Write `token` into the extracted copy (a private temporary file) before it replaces the
    live database, so the new data and the new token arrive together."""
    copy = sqlite3.connect(data)
    try:
        with copy:
            found = copy.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                (GENERATION_TABLE,),
            ).fetchone()
            if found:
                now = datetime.datetime.now(datetime.UTC).replace(tzinfo=None).isoformat(sep=" ")
                changed = copy.execute(
                    f'UPDATE "{GENERATION_TABLE}" SET token = ?, changed_at = ?', (token, now)
                )
                if changed.rowcount == 0:
                    copy.execute(
                        f'INSERT INTO "{GENERATION_TABLE}" (id, token, changed_at) '
                        "VALUES (1, ?, ?)",
                        (token, now),
                    )
    finally:
        copy.close()


# Drops every table, view, sequence and function of the schema (not those of extensions), so
# what migrations newer than the backup made does not survive it and what the dump creates
# again (the trigger functions of members/0015) is not there twice; runs in the restore's
# transaction (a table's triggers go with it).
_DROP_ALL = r"""
DO $$
DECLARE item record;
BEGIN
  FOR item IN
    SELECT c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p', 'v', 'm', 'S')
      AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype = 'e')
    ORDER BY c.relkind = 'S', c.relname
  LOOP
    EXECUTE format('DROP %s IF EXISTS %I.%I CASCADE',
      CASE item.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW'
        WHEN 'S' THEN 'SEQUENCE' ELSE 'TABLE' END,
      current_schema(), item.relname);
  END LOOP;
  FOR item IN
    SELECT p.oid::regprocedure AS signature, p.prokind FROM pg_proc p
    JOIN pg_namespace n ON n.oid = p.pronamespace
    WHERE n.nspname = current_schema()
      AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')
  LOOP
    EXECUTE format('DROP %s IF EXISTS %s CASCADE',
      CASE item.prokind WHEN 'p' THEN 'PROCEDURE' WHEN 'a' THEN 'AGGREGATE' ELSE 'FUNCTION' END,
      item.signature);
  END LOOP;
END $$;
"""


def _restore_postgres(manifest: dict, data: Path, token: str) -> None:
    """The dump's SQL (pg_restore) run by psql in one transaction after dropping every table,
    followed by the check of every table against the manifest and the new generation token:
    on any error or difference nothing changes."""
    pg_restore, psql = _tool("pg_restore"), _tool("psql")
    trailer = _after_load_sql(manifest, token, _session_settings()).encode()
    connection.close()
    env = _pg_environment()
    producer = subprocess.Popen(
        [pg_restore, "--no-owner", "--no-privileges", "-f", "-", str(data)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    consumer = subprocess.Popen(
        [psql, "-X", "-q", "--single-transaction", "-v", "ON_ERROR_STOP=1", "-f", "-"],
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=env,
    )
    try:
        consumer.stdin.write(_DROP_ALL.encode())
        shutil.copyfileobj(producer.stdout, consumer.stdin, CHUNK)
        if producer.wait() != 0:
            # pg_restore stopped midway: psql must not commit the tables dropped above with half
            # the rows; killed before its input ends, its transaction is rolled back.
            consumer.kill()
        else:
            consumer.stdin.write(trailer)
            consumer.stdin.close()
    except BrokenPipeError:  # psql stopped at an error: its transaction is rolled back
        producer.kill()
    producer.stdout.close()
    consumed_error = consumer.stderr.read().decode(errors="replace")
    produced_error = producer.stderr.read().decode(errors="replace")
    if consumer.wait() != 0 or producer.wait() != 0:
        _, marker, differing = consumed_error.partition(_VERIFY_FAILED)
        if marker:
            tables = differing.splitlines()[0].strip()
            raise BackupError(
                "Dữ liệu nạp từ tệp không khớp số dòng hoặc mã kiểm tra của manifest ở các bảng: "
                f"{tables}. Đã hủy, cơ sở dữ liệu giữ nguyên / the loaded data does not match "
                "the manifest, rolled back, nothing changed."
            )
        raise BackupError(
            "Khôi phục thất bại, cơ sở dữ liệu giữ nguyên / restore failed, nothing changed:\n"
            + (produced_error + consumed_error).strip()
        )


# The session settings that shape a row's text (t::text), hence the checksums: psql's session
# takes the app connection's, with which the manifest's checksums were computed.
_TEXT_SETTINGS = ("DateStyle", "IntervalStyle", "TimeZone", "bytea_output", "extra_float_digits")
_VERIFY_FAILED = "dangvien-verify:"

# Run after the dump in the restore's transaction: every table's count and checksum, computed as
# _postgres_digests does, against the manifest (%(expected)s); any difference raises, rolling back.
_VERIFY = r"""
DO $verify$
DECLARE
  expected jsonb := %(expected)s::jsonb;
  tab text;
  keys text;
  got_rows bigint;
  got_sum text;
  differ text[] := '{}';
BEGIN
  FOR tab IN
    SELECT c.relname::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND c.relname <> %(skipped)s
    UNION SELECT jsonb_object_keys(expected)
    ORDER BY 1
  LOOP
    IF to_regclass(format('%%I', tab)) IS NULL THEN
      differ := differ || tab;
      CONTINUE;
    END IF;
    SELECT string_agg(format('t.%%I', a.attname), ', '
                      ORDER BY array_position(i.indkey::int2[], a.attnum))
      INTO keys
      FROM pg_index i
      JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey::int2[])
      WHERE i.indrelid = format('%%I', tab)::regclass AND i.indisprimary;
    EXECUTE format('SELECT count(*), '
                   'md5(coalesce(string_agg(md5(t::text), '''' ORDER BY %%s), '''')) FROM %%I t',
                   coalesce(keys, 't::text'), tab)
      INTO got_rows, got_sum;
    IF expected -> tab IS NULL OR (expected -> tab ->> 'rows')::bigint <> got_rows
       OR expected -> tab ->> 'checksum' <> got_sum THEN
      differ := differ || tab;
    END IF;
  END LOOP;
  IF cardinality(differ) > 0 THEN
    RAISE EXCEPTION 'dangvien-verify: %%', array_to_string(differ, ', ');
  END IF;
END $verify$;
"""

# The new data generation token, in the same transaction as the data (when the table exists).
_RENEW = r"""
DO $renew$
BEGIN
  IF to_regclass(%(name)s) IS NOT NULL THEN
    UPDATE %(table)s SET token = %(token)s, changed_at = now();
    IF NOT FOUND THEN
      INSERT INTO %(table)s (id, token, changed_at) VALUES (1, %(token)s, now());
    END IF;
  END IF;
END $renew$;
"""


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _session_settings() -> dict[str, str]:
    """The app connection's values of _TEXT_SETTINGS."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, setting FROM pg_settings WHERE name = ANY(%s)", [list(_TEXT_SETTINGS)]
        )
        return dict(cursor.fetchall())


def _after_load_sql(manifest: dict, token: str, session: dict[str, str]) -> str:
    """What psql runs after the dump: the app's search path and text settings back (the dump
    empties the search path), the check against the manifest, the new token."""
    lines = ["RESET search_path;"]
    lines += [
        f"SELECT pg_catalog.set_config({_literal(name)}, {_literal(value)}, false);"
        for name, value in sorted(session.items())
    ]
    expected = json.dumps(manifest["tables"], ensure_ascii=False)
    lines.append(_VERIFY % {"expected": _literal(expected), "skipped": _literal(GENERATION_TABLE)})
    table = connection.ops.quote_name(GENERATION_TABLE)
    lines.append(_RENEW % {"name": _literal(table), "table": table, "token": _literal(token)})
    return "\n".join(lines) + "\n"


def renew_generation() -> str | None:
    """A new data generation token: pages cached before it are never served. None when the
    database has no such table yet (a backup older than it whose migration did not run)."""
    from dangvien.core.models import DataGeneration

    if GENERATION_TABLE not in connection.introspection.table_names():
        return None
    token = secrets.token_hex(16)
    DataGeneration.objects.update_or_create(pk=1, defaults={"token": token})
    return token


# ------------------------------------------------------------------------- PostgreSQL tools


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(
            f"Không tìm thấy chương trình {name}: hãy cài gói postgresql-client cùng phiên bản "
            f"với máy chủ / {name} not found: install the PostgreSQL client tools."
        )
    return found


def _pg_environment() -> dict[str, str]:
    """The connection settings of DATABASES as libpq variables: the password never appears on
    a command line (where `ps` would show it)."""
    settings = connection.settings_dict
    env = dict(os.environ)
    values = {
        "PGHOST": settings.get("HOST") or "",
        "PGPORT": str(settings.get("PORT") or ""),
        "PGUSER": settings.get("USER") or "",
        "PGPASSWORD": settings.get("PASSWORD") or "",
        "PGDATABASE": settings.get("NAME") or "",
        "PGSSLMODE": (settings.get("OPTIONS") or {}).get("sslmode", ""),
    }
    env.update({key: value for key, value in values.items() if value})
    return env


def _run(command: list[str]) -> None:
    result = subprocess.run(command, env=_pg_environment(), capture_output=True, check=False)
    if result.returncode != 0:
        raise BackupError(
            f"{Path(command[0]).name} thất bại / failed:\n"
            + result.stderr.decode(errors="replace").strip()
        )
