"""Two imports at once: while one writes, an overlapping second one is told in Vietnamese to wait
and writes nothing, and the first commits everything (command line and web)."""

import threading
import time
from contextlib import contextmanager

import pytest
from django.db import OperationalError, connection
from django.test import Client

from dangvien.core.import_lock import BUSY_MESSAGE, lock_keys
from dangvien.core.import_lock import import_lock as lock
from dangvien.core.models import AuditEntry, ImportUpload
from dangvien.core.roles import Role
from dangvien.members.models import Member
from dangvien.reports.tallies import marking
from tests.assessments.commands import run_import
from tests.core.import_processes import Database, PausedImport, dangvien, members_file
from tests.members.test_import_members import row as member_row
from tests.spreadsheets import MEMBER_HEADERS, write_xlsx

WAIT = "Đang có một lần nhập dữ liệu khác"


@pytest.mark.child_processes
@pytest.mark.django_db(transaction=True)
def test_a_second_command_line_import_is_told_to_wait_and_the_first_commits_all(world, tmp_path):
    database = Database(tmp_path)
    big = members_file(tmp_path / "lon.csv", 2000, "LON", world.branch.code)
    small = members_file(tmp_path / "nho.csv", 5, "NHO", world.branch.code)
    members, audits = database.count(Member), database.count(AuditEntry)

    first = PausedImport(database, big, pause_after=1000)
    status, out, err, seconds = dangvien(database, "import", "members", str(small))
    assert status == 1
    assert WAIT in err and "Traceback" not in err and out == ""
    assert seconds < 30  # process start included; the lock itself waits 1 s, not for the first
    print(f"second import refused after {seconds:.2f} s, first paused at {first.written} rows")

    status, out, err = first.resume()
    assert (status, err) == (0, "")
    assert out.strip() == "Đã nhập đảng viên: tạo mới 2000, cập nhật 0, không thay đổi 0."
    assert database.count(Member) == members + 2000
    assert database.count(AuditEntry) == audits + 2000
    # Once the first is done, the second goes through.
    assert dangvien(database, "import", "members", str(small))[0] == 0
    assert database.count(Member) == members + 2005


@contextmanager
def import_elsewhere(actor):
    """Another import holding `actor`'s lock: a thread, with its own database session."""
    lock_keys(actor)  # the actor's scope, read here and cached on the user object
    entered, leave, failures = threading.Event(), threading.Event(), []

    def hold() -> None:
        try:
            with lock(actor):
                entered.set()
                leave.wait(30)
        except Exception as exc:
            failures.append(exc)
            entered.set()
        finally:
            connection.close()

    thread = threading.Thread(target=hold)
    thread.start()
    assert entered.wait(30) and not failures, failures
    try:
        yield
    finally:
        leave.set()
        thread.join(30)


def signed_in(world, role) -> Client:
    client = Client()
    client.force_login(world.users[role])
    return client


def upload_members(client, tmp_path, codes) -> str:
    path = write_xlsx(tmp_path / "dv.xlsx", MEMBER_HEADERS, [member_row(code) for code in codes])
    with path.open("rb") as handle:
        return client.post("/imports/members/", {"file": handle})["Location"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("holder", "importer"),
    [(None, Role.OFFICER), (Role.OFFICER, Role.SECRETARY), (Role.SECRETARY, Role.OFFICER)],
    ids=["command-line-then-officer", "officer-then-secretary", "secretary-then-officer"],
)
def test_a_web_import_overlapping_a_running_one_is_told_to_wait(world, tmp_path, holder, importer):
    client = signed_in(world, importer)
    preview_url = upload_members(client, tmp_path, ["WEB1", "WEB2"])
    with import_elsewhere(world.users[holder] if holder else None):
        started = time.monotonic()
        response = client.post(f"{preview_url}confirm/", follow=True)
        seconds = time.monotonic() - started
    page = response.content.decode()
    assert response.status_code == 200 and response.redirect_chain[-1][0] == preview_url
    assert BUSY_MESSAGE in page and "Đã nhập" not in page
    assert not Member.unscoped.filter(code__startswith="WEB").exists()
    assert ImportUpload.objects.get().status != ImportUpload.Status.IMPORTED
    assert 0.9 < seconds < 10  # the bounded wait (1 s), then the refusal
    print(f"web import refused after {seconds:.2f} s")
    # The other import is over: the same confirmation now imports.
    response = client.post(f"{preview_url}confirm/", follow=True)
    assert "Đã nhập đảng viên: tạo mới 2" in response.content.decode()
    assert Member.unscoped.filter(code__startswith="WEB").count() == 2


@pytest.mark.django_db
def test_officers_of_separate_subtrees_import_at_the_same_time(world, tmp_path):
    client = signed_in(world, Role.OFFICER)
    preview_url = upload_members(client, tmp_path, ["TACH1"])
    with import_elsewhere(world.users["outside_officer"]):
        response = client.post(f"{preview_url}confirm/", follow=True)
    assert "Đã nhập đảng viên: tạo mới 1" in response.content.decode()


def test_the_lock_rule_follows_the_tree(world):
    """Exclusive on the scope's roots, shared above them; everything: the root, exclusive."""
    upper, branch = world.upper.path, world.branch.path
    assert lock_keys(None) == [("/", "exclusive")]
    assert lock_keys(world.users[Role.ADMIN]) == [("/", "exclusive")]
    officer = dict(lock_keys(world.users[Role.OFFICER]))
    assert officer == {"/": "shared", world.province.path: "shared", upper: "exclusive"}
    secretary = dict(lock_keys(world.users[Role.SECRETARY]))
    assert secretary[upper] == "shared" and secretary[branch] == "exclusive"
    outside = dict(lock_keys(world.users["outside_officer"]))
    assert outside[world.outside_upper.path] == "exclusive" and upper not in outside


@pytest.mark.django_db(transaction=True)
def test_a_failure_after_the_commit_does_not_turn_the_import_into_a_failure(
    world, tmp_path, monkeypatch
):
    """The recount run on commit meets a locked database (another writer): the members are in,
    so the command says so and exits 0, and the web says imported."""

    def recount(*args, **kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(marking, "recount", recount)
    path = members_file(tmp_path / "sau.csv", 3, "SAU", world.branch.code)
    status, out, err = run_import("members", str(path))
    assert (status, err) == (0, "")
    assert out.strip() == "Đã nhập đảng viên: tạo mới 3, cập nhật 0, không thay đổi 0."
    assert Member.unscoped.filter(code__startswith="SAU").count() == 3

    client = signed_in(world, Role.OFFICER)
    preview_url = upload_members(client, tmp_path, ["WEBSAU"])
    response = client.post(f"{preview_url}confirm/", follow=True)
    assert "Đã nhập đảng viên: tạo mới 1" in response.content.decode()
    assert ImportUpload.objects.get().status == ImportUpload.Status.IMPORTED
