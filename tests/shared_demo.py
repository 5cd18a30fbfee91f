"""Data sets built once for a block of tests: the demo (the `demo_data` fixture) and the small
province of tests/conftest.py (the `world` fixture).

Loading the demo takes seconds, more on PostgreSQL, and several tests check what it holds;
about 1,300 tests start from the world, which took 30 ms to build on SQLite and 60 ms on
PostgreSQL. The first test of a block builds its data set inside a transaction left open; each
test then runs in a savepoint of that transaction (pytest-django's `db`, as every test), so what
it changes is rolled back before the next one starts from the data set as built.
tests/conftest.py runs the tests of a block one after the other and rolls the data set back after
the last of them. A test that commits (transaction=True, live_server) cannot share one: it builds
its own."""

from collections.abc import Callable

import pytest
from django.db import connection, transaction
from django.test import TestCase

FIXTURE = "demo_data"


def uses_demo(item: pytest.Item | None) -> bool:
    return item is not None and FIXTURE in getattr(item, "fixturenames", ())


def commits(item: pytest.Item) -> bool:
    """Whether the test commits: its data cannot live in a transaction that is rolled back."""
    if {"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ())):
        return True
    return any(marker.kwargs.get("transaction") for marker in item.iter_markers("django_db"))


class SharedData:
    """The open transaction holding a data set, and what building it returned."""

    def __init__(self, blocker, name: str, build: Callable[[], object], *, on_commit: bool):
        self._blocker = blocker  # pytest-django's django_db_blocker
        self._name = name  # the fixture that reads it, for the message of a misuse
        self._build = build
        self._on_commit = on_commit  # run what waits for the commit, as after a real one
        self._atomic = None
        self.built = None

    def open(self) -> object:
        """Build the data set unless it is built; what building it returned."""
        if self._atomic is not None:
            return self.built
        if connection.in_atomic_block:  # the test's own transaction came first: it would
            pytest.fail(  # roll back the data set half-way through
                f"request {self._name} before db or any fixture using the database, and "
                "without @pytest.mark.django_db"
            )
        with self._blocker.unblock():
            self._atomic = transaction.atomic()
            self._atomic.__enter__()
            try:
                if self._on_commit:
                    with TestCase.captureOnCommitCallbacks(execute=True):
                        self.built = self._build()
                else:
                    self.built = self._build()
            except BaseException:
                self.close()
                raise
        return self.built

    @property
    def is_open(self) -> bool:
        return self._atomic is not None

    def close(self) -> None:
        """Roll the data set back: the tests after it find the empty test database."""
        if self._atomic is None:
            return
        atomic, self._atomic = self._atomic, None
        self.built = None
        with self._blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
