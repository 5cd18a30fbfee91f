"""Shared fixtures: a small province with an inside subtree and an outside one, and a user for
every role bound inside. Everything outside carries the marker OUTSIDE_MARK in code and name, so
a test can prove no page shows it to a user whose scope does not cover it."""

import datetime
import io
import os
import zoneinfo
from dataclasses import dataclass, fields

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client, override_settings

from dangvien.accounts.models import User
from dangvien.core.roles import Role
from dangvien.members.models import Member
from dangvien.organizations.models import Organization, OrgKind
from tests.factories import PASSWORD, MemberFactory, OrganizationFactory, user_with_role
from tests.shared_demo import SharedData, commits, uses_demo

OUTSIDE_MARK = "NGOAIPHAMVI"
OUTSIDE_CITIZEN_ID = "079099000731"
OUTSIDE_CARD_NUMBER = "99000731"

# The one clock: every test runs on this day, never on the calendar's. CI runs the suite again on
# other days (.ci/run), among them a December and a 1 January, so no test holds only part of the
# year. The clock starts at 09:00 in Vietnam and then runs, so durations and ordering still work.
TODAY_VARIABLE = "DANGVIEN_TEST_TODAY"
DEFAULT_TODAY = "2026-06-15"


def fixed_today() -> datetime.date:
    text = os.environ.get(TODAY_VARIABLE) or DEFAULT_TODAY
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        message = f"{TODAY_VARIABLE} must be a date as YYYY-MM-DD, not {text!r}"
        raise pytest.UsageError(message) from None


def pytest_configure(config):
    start = datetime.datetime.combine(
        fixed_today(), datetime.time(9), tzinfo=zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
    )
    config.stash[_CLOCK] = time_machine.travel(start, tick=True)
    config.stash[_CLOCK].start()


def pytest_unconfigure(config):
    if _CLOCK in config.stash:
        config.stash[_CLOCK].stop()


def pytest_report_header(config):
    return f"clock: tests run on {fixed_today():%d/%m/%Y} ({TODAY_VARIABLE})"


_CLOCK = pytest.StashKey[time_machine.travel]()
_DEMO = pytest.StashKey[SharedData]()
_WORLD = pytest.StashKey[SharedData]()


def shares_world(item: pytest.Item | None) -> bool:
    """Whether the test starts from the world built once (tests/shared_demo.py); one that
    commits builds its own."""
    return item is not None and "world" in getattr(item, "fixturenames", ()) and not commits(item)


# The data sets shared by a block of tests: where each is kept, and which tests read it.
_SHARED = ((_DEMO, uses_demo), (_WORLD, shares_world))


def pytest_collection_modifyitems(items):
    """The tests reading a shared data set (the demo, the world) run one after the other,
    where the first of them stands (after pytest-django's order: database tests, then those
    that commit, then the rest), so that the data set is built once (tests/shared_demo.py)."""
    both = [item.nodeid for item in items if uses_demo(item) and shares_world(item)]
    if both:
        raise pytest.UsageError(f"a test reads either the demo or the world, not both: {both}")
    for _key, uses in _SHARED:
        readers = [item for item in items if uses(item)]
        if readers:
            first = items.index(readers[0])
            others = [item for item in items if not uses(item)]
            items[:] = [*others[:first], *readers, *others[first:]]
    for item in items:
        if shares_world(item):
            # The world's transaction opens before the test's own, which a django_db mark
            # starts among the first fixtures (pytest-django's autouse _django_db_marker): its
            # fixture is set up first (pytest sets them up in the order of this list).
            item.fixturenames.remove("_world_loaded")
            item.fixturenames.insert(0, "_world_loaded")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """Roll a shared data set back after the last test reading it, before the next test starts
    (after the very last test, its session fixture does)."""
    try:
        return (yield)
    finally:
        for key, uses in _SHARED:
            shared = item.config.stash.get(key, None)
            if shared is not None and nextitem is not None and not uses(nextitem):
                shared.close()


@dataclass
class World:
    province: Organization
    upper: Organization  # the inside subtree's root (an officer's scope)
    base: Organization  # a base committee inside
    branch: Organization  # a sub-branch inside (the secretary's scope)
    other_branch: Organization  # a second sub-branch inside, outside the secretary's scope
    outside_upper: Organization
    outside_base: Organization
    outside_branch: Organization
    users: dict[str, User]
    member: Member  # in `branch`, the record of the member-role user
    other_member: Member  # in `other_branch`, inside the officer's scope
    outside_member: Member

    def client(self, role: str | None) -> Client:
        client = Client()
        if role is not None:
            assert client.login(username=self.users[role].username, password=PASSWORD)
        return client


def build_world() -> World:
    province = OrganizationFactory(code="P", name="Đảng bộ tỉnh Thử Nghiệm", kind=OrgKind.PROVINCE)
    upper = OrganizationFactory(
        code="P.U1", name="Đảng bộ phường Hòa Bình", kind=OrgKind.UPPER, parent=province
    )
    base = OrganizationFactory(
        code="P.U1.01",
        name="Đảng bộ Trường Tiểu học Hòa Bình",
        kind=OrgKind.BASE_COMMITTEE,
        parent=upper,
    )
    branch = OrganizationFactory(
        code="P.U1.01.01", name="Chi bộ Tổ Toán", kind=OrgKind.SUB_BRANCH, parent=base
    )
    other_branch = OrganizationFactory(
        code="P.U1.01.02", name="Chi bộ Tổ Văn", kind=OrgKind.SUB_BRANCH, parent=base
    )
    outside_upper = OrganizationFactory(
        code=f"P.{OUTSIDE_MARK}",
        name=f"Đảng bộ {OUTSIDE_MARK}",
        kind=OrgKind.UPPER,
        parent=province,
    )
    outside_base = OrganizationFactory(
        code=f"P.{OUTSIDE_MARK}.01",
        name=f"Đảng bộ cơ sở {OUTSIDE_MARK}",
        kind=OrgKind.BASE_COMMITTEE,
        parent=outside_upper,
    )
    outside_branch = OrganizationFactory(
        code=f"P.{OUTSIDE_MARK}.01.01",
        name=f"Chi bộ {OUTSIDE_MARK}",
        kind=OrgKind.SUB_BRANCH,
        parent=outside_base,
    )
    users = {
        Role.ADMIN: user_with_role(Role.ADMIN, None, "quantri"),
        Role.OFFICER: user_with_role(Role.OFFICER, upper, "canbo"),
        Role.SECRETARY: user_with_role(Role.SECRETARY, branch, "bithu"),
        Role.INSPECTOR: user_with_role(Role.INSPECTOR, upper, "kiemtra"),
        Role.MEMBER: user_with_role(Role.MEMBER, branch, "dangvien"),
    }
    # Users who exist only outside: their accounts must stay invisible to inside officers.
    users["outside_officer"] = user_with_role(Role.OFFICER, outside_upper, f"canbo{OUTSIDE_MARK}")
    member = MemberFactory(
        code="DV-TRONG-1", full_name="Nguyễn Văn An", branch=branch, user=users[Role.MEMBER]
    )
    other_member = MemberFactory(code="DV-TRONG-2", full_name="Trần Thị Bình", branch=other_branch)
    outside_member = MemberFactory(
        code=f"DV-{OUTSIDE_MARK}",
        full_name=f"Lê {OUTSIDE_MARK}",
        branch=outside_branch,
        # Unique numbers an inside user may type by mistake: no answer may say whose they are.
        citizen_id=OUTSIDE_CITIZEN_ID,
        card_number=OUTSIDE_CARD_NUMBER,
    )
    return World(
        province,
        upper,
        base,
        branch,
        other_branch,
        outside_upper,
        outside_base,
        outside_branch,
        users,
        member,
        other_member,
        outside_member,
    )


def fresh(world: World) -> World:
    """The world's records as the database holds them: new instances, so that nothing a test
    did to the objects of the shared world (tests/shared_demo.py) reaches the next test."""
    named = {
        field.name: getattr(world, field.name) for field in fields(World) if field.name != "users"
    }
    wanted: dict[type, list[int]] = {}
    for record in [*named.values(), *world.users.values()]:
        wanted.setdefault(type(record), []).append(record.pk)
    found = {model: model._base_manager.in_bulk(pks) for model, pks in wanted.items()}

    def again(record):
        return found[type(record)][record.pk]

    users = {role: again(user) for role, user in world.users.items()}
    return World(**{name: again(record) for name, record in named.items()}, users=users)


TEST_PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session", autouse=True)
def flush_by_deleting_rows():
    """After a test that commits (transaction=True, live_server), Django empties every table with
    one TRUNCATE on PostgreSQL: for the 92 tables it made new files for each table and index and
    took 2.5–4 s a test (0.09 s to DELETE their rows), several minutes of CI's PostgreSQL pass.
    The tests' tables are small, so their rows are deleted instead, in the flush's transaction
    (Django's foreign keys are checked at its commit, so the order of the tables does not
    matter). A flush that resets sequences or cascades keeps Django's TRUNCATE."""
    from django.db import connection

    if connection.vendor != "postgresql":
        yield
        return
    operations = type(connection.ops)
    truncate = operations.sql_flush

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if reset_sequences or allow_cascade:
            return truncate(
                self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
            )
        return [f"{style.SQL_KEYWORD('DELETE FROM')} {self.quote_name(table)};" for table in tables]

    operations.sql_flush = sql_flush
    try:
        yield
    finally:
        operations.sql_flush = truncate


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: its database starts again from version 1, under
    which a page cached by an earlier test would otherwise be found."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def login_through_the_lockout(monkeypatch):
    """Django's test client logs in with authenticate(**credentials), without a request; the
    lockout backend (django-axes) refuses that, as a real sign-in always has one. Give it a
    blank request from 127.0.0.1 (axes' documented remedy), so client.login() still passes the
    lockout check instead of the check being turned off for the suite."""
    from django.http import HttpRequest
    from django.test.client import ClientMixin

    original = ClientMixin.login

    def login(self, **credentials):
        if "request" not in credentials:
            credentials["request"] = HttpRequest()
            credentials["request"].META["REMOTE_ADDR"] = "127.0.0.1"
        return original(self, **credentials)

    monkeypatch.setattr(ClientMixin, "login", login)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Hash test passwords cheaply; the production hasher is covered by Django itself."""
    settings.PASSWORD_HASHERS = TEST_PASSWORD_HASHERS


@pytest.fixture(autouse=True)
def two_factor_not_required(settings):
    """Sign-ins need no TOTP code unless a test turns DANGVIEN_REQUIRE_2FA on (production's
    default). The second step stands in front of every page; with it on, each test that signs
    in an administrator or officer would first enrol a device and type a code, testing nothing
    of its own subject. tests/accounts/test_two_factor.py turns it on and walks every URL to
    prove none is served before the step; a user who enrolled a device is asked for the code
    whatever this setting says."""
    settings.DANGVIEN_REQUIRE_2FA = False


@pytest.fixture(scope="session")
def shared_world(request, django_db_setup, django_db_blocker):
    def build():
        with override_settings(PASSWORD_HASHERS=TEST_PASSWORD_HASHERS):
            return build_world()

    world = request.config.stash[_WORLD] = SharedData(
        django_db_blocker, "world", build, on_commit=False
    )
    yield world
    world.close()


@pytest.fixture
def _world_loaded(request, shared_world) -> World | None:
    return shared_world.open() if shares_world(request.node) else None


@pytest.fixture
def world(_world_loaded, db) -> World:
    """The small province of build_world, with a user for every role: built once for the tests
    that do not commit (each gets fresh instances of its records), by each test that does."""
    return fresh(_world_loaded) if _world_loaded is not None else build_world()


@pytest.fixture(scope="session")
def shared_demo(request, django_db_setup, django_db_blocker):
    def build() -> str:
        out = io.StringIO()
        call_command("demo", "--no-serve", stdout=out)
        return out.getvalue()

    # What waits for the commit (the units' recount) runs as it would after one.
    demo = request.config.stash[_DEMO] = SharedData(
        django_db_blocker, "demo_data", build, on_commit=True
    )
    yield demo
    demo.close()


@pytest.fixture
def _demo_loaded(request, shared_demo) -> str:
    if commits(request.node) or request.node.get_closest_marker("django_db") is not None:
        pytest.fail("a test reading the shared demo runs in its savepoint: no django_db mark")
    return shared_demo.open()


@pytest.fixture
def demo_data(_demo_loaded, db) -> str:
    """The demo as `dangvien demo --no-serve` loads it, shared by the tests that read it (each
    in its own savepoint, rolled back after it: tests/shared_demo.py); what the command
    printed. Request it before any fixture using the database."""
    return _demo_loaded
