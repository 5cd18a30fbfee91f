"""The demo data set loaded once for all the tests that read it (the `demo_data` fixture).

Loading the demo takes seconds, more on PostgreSQL, and several tests check what it holds. The
first of them loads it, as `dangvien demo --no-serve` does, inside a transaction left open; each
test then runs in a savepoint of that transaction (pytest-django's `db`, as every test), so what
it changes is rolled back before the next one reads the demo as loaded. tests/conftest.py runs
these tests one after the other and rolls the demo back after the last of them. A test that
commits (transaction=True, live_server) cannot share the demo: it loads its own."""

import io

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test import TestCase

FIXTURE = "demo_data"


def uses_demo(item: pytest.Item | None) -> bool:
    return item is not None and FIXTURE in getattr(item, "fixturenames", ())


class SharedDemo:
    """The open transaction holding the demo, and what the demo command printed loading it."""

    def __init__(self, blocker):
        self._blocker = blocker  # pytest-django's django_db_blocker
        self._atomic = None
        self.printed = ""

    def open(self) -> str:
        """Load the demo unless it is loaded; what the command printed when it loaded it."""
        if self._atomic is not None:
            return self.printed
        if connection.in_atomic_block:  # the test's own transaction came first: it would
            pytest.fail(  # roll back the demo's half-way through
                f"request {FIXTURE} before db, world or any fixture using the database, and "
                "without @pytest.mark.django_db"
            )
        with self._blocker.unblock():
            self._atomic = transaction.atomic()
            self._atomic.__enter__()
            out = io.StringIO()
            try:
                # What waits for the commit (the units' recount) runs as it would after one.
                with TestCase.captureOnCommitCallbacks(execute=True):
                    call_command("demo", "--no-serve", stdout=out)
            except BaseException:
                self.close()
                raise
        self.printed = out.getvalue()
        return self.printed

    def close(self) -> None:
        """Roll the demo back: the tests after it find the empty test database."""
        if self._atomic is None:
            return
        atomic, self._atomic = self._atomic, None
        with self._blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
