"""Imports run as separate processes, the way an operator runs `dangvien import`, against the
database of the test: on SQLite a file copy of it in tmp_path (the test database lives in this
process's memory); on PostgreSQL the test database itself (tests commit: transaction=True)."""

import os
import queue
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from contextlib import closing
from pathlib import Path

from django.db import connection

from tests.members.test_import_members import row as member_row
from tests.spreadsheets import MEMBER_HEADERS, write_csv

ROOT = Path(__file__).resolve().parents[2]
DANGVIEN = Path(sys.executable).with_name("dangvien")
TIMEOUT = 60  # seconds any one step may take on a loaded machine before the test fails


class Database:
    """The database the subprocesses share with the test."""

    def __init__(self, tmp_path: Path):
        self.tmp_path = tmp_path
        self.file: Path | None = None

    def env(self) -> dict:
        """The environment of a `dangvien` process on this database (on SQLite: a copy of the
        test database as it is now, made on the first call)."""
        settings = connection.settings_dict
        if connection.vendor == "sqlite":
            if self.file is None:
                self.file = self.tmp_path / "dangvien.sqlite3"
                connection.ensure_connection()
                with closing(sqlite3.connect(self.file)) as copy:
                    connection.connection.backup(copy)
            url = f"sqlite:///{self.file}"
        else:
            password = f":{settings['PASSWORD']}" if settings.get("PASSWORD") else ""
            url = (
                f"postgres://{settings['USER']}{password}@{settings['HOST'] or '127.0.0.1'}:"
                f"{settings['PORT'] or 5432}/{settings['NAME']}"
            )
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "DANGVIEN_DATA_DIR": str(self.tmp_path / "data"),
            "DANGVIEN_SECRET_KEY": "the-tests-own-secret",
        }
        env.pop("DANGVIEN_REPLICA_DATABASE_URL", None)
        return env

    def count(self, model) -> int:
        sql = f"SELECT COUNT(*) FROM {connection.ops.quote_name(model._meta.db_table)}"
        if self.file is not None:
            with closing(sqlite3.connect(self.file, timeout=TIMEOUT)) as database:
                return database.execute(sql).fetchone()[0]
        with connection.cursor() as cursor:
            cursor.execute(sql)
            return cursor.fetchone()[0]


def members_file(path: Path, count: int, prefix: str, branch: str) -> Path:
    rows = [member_row(f"{prefix}{number:06d}", branch=branch) for number in range(count)]
    return write_csv(path, MEMBER_HEADERS, rows)


class PausedImport:
    """`dangvien import members FILE` in a subprocess, paused once `pause_after` members are
    written inside its transaction (tests/core/import_probe.py)."""

    def __init__(self, database: Database, path: Path, pause_after: int):
        self.started = time.monotonic()
        probe = [sys.executable, "-m", "tests.core.import_probe", str(pause_after)]
        self.process = subprocess.Popen(
            [*probe, "import", "members", str(path)],
            cwd=ROOT,
            env=database.env(),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.lines: queue.Queue = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        self.written = self._wait_until_writing()

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.put(line)
        self.lines.put(None)

    def _wait_until_writing(self) -> int:
        try:
            line = self.lines.get(timeout=TIMEOUT)
        except queue.Empty:
            self.kill()
            raise AssertionError(f"the import wrote nothing in {TIMEOUT} s") from None
        if line is None or not line.startswith("WRITING "):
            self.process.wait(TIMEOUT)
            raise AssertionError(f"the import ended first: {line!r} {self.process.stderr.read()}")
        return int(line.split()[1])

    def resume(self) -> tuple[int, str, str]:
        """Let it finish; its exit status, the rest of its output and its errors."""
        self.process.stdin.write("\n")
        self.process.stdin.flush()
        status = self.process.wait(TIMEOUT)
        out = []
        while (line := self.lines.get(timeout=TIMEOUT)) is not None:
            out.append(line)
        return status, "".join(out), self.process.stderr.read()

    def kill(self) -> None:
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(TIMEOUT)
        for stream in (self.process.stdin, self.process.stderr):
            stream.close()


def dangvien(database: Database, *args: str) -> tuple[int, str, str, float]:
    """Run `dangvien ARGS…` to its end: exit status, output, errors and seconds taken."""
    started = time.monotonic()
    result = subprocess.run(
        [str(DANGVIEN), *args],
        cwd=ROOT,
        env=database.env(),
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )
    return result.returncode, result.stdout, result.stderr, time.monotonic() - started
