"""`dangvien import members` into a database without members (a first import, where the
lookups of existing members are skipped) and of many rows (SQLite's statistics refreshed)."""

import io

import pytest
from django.core.management import call_command
from django.db import OperationalError, connection

from dangvien.core import importing
from dangvien.core.models import AuditEntry
from dangvien.members.models import EventKind, Member, MemberEvent, Placement
from dangvien.organizations.models import OrgKind
from tests.factories import OrganizationFactory
from tests.spreadsheets import MEMBER_HEADERS as HEADERS
from tests.spreadsheets import write_csv


def row(code, *, name="Nguyễn Văn Mới", branch="T.B.01", official="03/02/2011", card="", cid=""):
    return [
        code, name, "Nam", "15/04/1985", branch, "03/02/2010", official, card, cid, "Kinh",
        "Không", "Hà Tĩnh", "Phường Hòa Bình", "12/12", "Đại học", "Sơ cấp",
    ]  # fmt: skip


def run_import(path):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import", "members", str(path), stdout=out, stderr=err)
        return 0, out.getvalue()
    except SystemExit as exit_:
        return exit_.code, out.getvalue()


@pytest.fixture
def branch(db):
    province = OrganizationFactory(code="T", name="Đảng bộ tỉnh Thử", kind=OrgKind.PROVINCE)
    base = OrganizationFactory(
        code="T.B", name="Đảng bộ xã Thử", kind=OrgKind.BASE_COMMITTEE, parent=province
    )
    branch = OrganizationFactory(
        code="T.B.01", name="Chi bộ thôn Một", kind=OrgKind.SUB_BRANCH, parent=base
    )
    assert not Member.unscoped.exists()
    return branch


def test_a_first_import_writes_the_history_and_audit_of_every_member(branch, tmp_path):
    rows = [
        row(f"F{i}", name=f"Trần Văn Số {i}", card=f"8800000{i}", cid=f"00118500001{i}")
        for i in range(5)
    ]
    rows.append(row("F5", name="Đỗ Thị Dự Bị", official=""))
    path = write_csv(tmp_path / "members.csv", HEADERS, rows)

    code, out = run_import(path)

    assert code == 0, out
    assert "tạo mới 6, cập nhật 0, không thay đổi 0" in out
    members = {member.code: member for member in Member.unscoped.all()}
    assert set(members) == {f"F{i}" for i in range(6)}
    for member in members.values():
        assert member.branch_id == branch.pk and member.branch_path == branch.path
        placement = Placement.objects.get(member=member)
        assert (placement.branch_id, placement.start, placement.end) == (
            branch.pk,
            member.admitted_on,
            None,
        )
        kinds = set(MemberEvent.objects.filter(member=member).values_list("kind", flat=True))
        assert kinds == (
            {EventKind.ADMITTED, EventKind.RECOGNISED}
            if member.official_on
            else {EventKind.ADMITTED}
        )
        audit = AuditEntry.unscoped.get(action="member.create", target_id=member.pk)
        assert audit.changes == {"code": [None, member.code]}
        assert audit.org_path == branch.path
    assert members["F0"].search_name == "tran van so 0"
    assert members["F5"].sort_key  # the name order of the lists

    code, out = run_import(path)  # the same file again changes nothing
    assert code == 0, out
    assert "tạo mới 0, cập nhật 0, không thay đổi 6" in out
    assert AuditEntry.unscoped.filter(action__startswith="member.").count() == 6
    assert MemberEvent.objects.count() == 11 and Placement.objects.count() == 6


def test_a_first_import_still_finds_the_conflicts_within_the_file(branch, tmp_path):
    rows = [
        row("G1", card="77000001", cid="001185000021"),
        row("G2", card="77000001"),  # the card of row 2
        row("G3", cid="001185000021"),  # the citizen ID of row 2
        row("G1", name="Trùng Mã"),  # the code of row 2
    ]
    code, out = run_import(write_csv(tmp_path / "dup.csv", HEADERS, rows))

    assert code == 1
    assert 'dòng 3, cột "Số thẻ đảng viên": 77000001 bị trùng với dòng 2.' in out
    assert 'dòng 4, cột "Số CCCD": 001185000021 bị trùng với dòng 2.' in out
    assert 'dòng 5, cột "Mã đảng viên": G1 bị trùng với dòng 2.' in out
    assert not Member.unscoped.exists()


def test_the_second_file_is_checked_against_the_members_of_the_first(branch, tmp_path):
    first = [row("H1", card="66000001", cid="001185000031")]
    assert run_import(write_csv(tmp_path / "first.csv", HEADERS, first))[0] == 0

    second = [row("H2", card="66000001"), row("H3", cid="001185000031")]
    code, out = run_import(write_csv(tmp_path / "second.csv", HEADERS, second))

    assert code == 1
    assert 'dòng 2, cột "Số thẻ đảng viên": 66000001 đã thuộc về đảng viên mã H1.' in out
    assert 'dòng 3, cột "Số CCCD": 001185000031 đã thuộc về đảng viên mã H1.' in out
    assert list(Member.unscoped.values_list("code", flat=True)) == ["H1"]


def _statistics_rows() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")
        if not cursor.fetchone()[0]:
            return 0
        cursor.execute("SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'members_member'")
        return cursor.fetchone()[0]


def test_an_import_of_many_rows_gives_sqlite_its_statistics(branch, tmp_path, monkeypatch):
    """SQLite gathers no statistics by itself: an import writing many rows (here: 3) runs
    ANALYZE after its commit, so the lists read the members along the name-order index."""
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL's autovacuum analyses the tables; nothing is run there")
    monkeypatch.setattr(importing, "ANALYZE_AFTER_ROWS", 3)
    assert run_import(write_csv(tmp_path / "two.csv", HEADERS, [row("S1"), row("S2")]))[0] == 0
    assert _statistics_rows() == 0  # two rows: not "many"

    rows = [row(f"S{i}") for i in range(3, 6)]
    assert run_import(write_csv(tmp_path / "three.csv", HEADERS, rows))[0] == 0

    assert _statistics_rows() > 0
    with connection.cursor() as cursor:
        cursor.execute(
            "EXPLAIN QUERY PLAN SELECT id FROM members_member WHERE branch_path LIKE %s "
            "AND status IN ('official', 'probationary') ORDER BY sort_key, id LIMIT 50",
            [branch.path + "%"],
        )
        assert "member_order_idx" in " ".join(str(step) for step in cursor.fetchall())


def test_statistics_that_cannot_be_gathered_do_not_fail_a_written_import(
    branch, tmp_path, monkeypatch
):
    def busy():
        raise OperationalError("database is locked")

    monkeypatch.setattr(importing, "ANALYZE_AFTER_ROWS", 1)
    monkeypatch.setattr(importing, "refresh_statistics", busy)
    code, out = run_import(write_csv(tmp_path / "one.csv", HEADERS, [row("B1")]))

    assert code == 0, out
    assert "tạo mới 1" in out
    assert Member.unscoped.filter(code="B1").exists()
