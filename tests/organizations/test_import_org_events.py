"""`dangvien import org-events FILE`: the 2025 restructuring of a district recorded from a
spreadsheet (issue 13, acceptance; formats.md, `org-events`): the past reports stay as they
were, today's show the new tree, a second import changes nothing, and a file with one refused
row writes nothing."""

import datetime
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from dangvien.assessments.models import MemberAssessment
from dangvien.core.models import AuditEntry, ImportUpload
from dangvien.core.roles import Role
from dangvien.members.models import EventKind, Member, MemberEvent, Placement
from dangvien.organizations import dated
from dangvien.organizations.models import Organization, OrgEvent, OrgEventKind, OrgState
from dangvien.organizations.services import change_org_code
from tests.assessments.commands import run_import
from tests.factories import user_with_role
from tests.organizations.history_checks import assert_history_holds, fresh, states_of
from tests.reports.commands import run_report
from tests.spreadsheets import MEMBER_HEADERS, ORG_CONTRACT_HEADERS, write_csv, write_xlsx

pytestmark = pytest.mark.django_db

HEADERS = [
    "Mã tổ chức",
    "Sự kiện",
    "Mã tổ chức cấp trên mới",
    "Mã tổ chức tiếp nhận",
    "Tên mới",
    "Ngày hiệu lực",
    "Số quyết định",
    "Cơ quan quyết định",
]
DAY = datetime.date(2025, 7, 1)
UPPER, UPPER_BASE = "Đảng bộ cấp trên trực tiếp cơ sở", "Đảng bộ cơ sở"
# A province T with the district T.H (to be ended on 01/07/2025) and the commune committee
# T.X founded that day; the district holds a base committee with two branches and two base
# branches.
ORGS = [
    ["T", "Đảng bộ tỉnh Thử Nghiệm", "Đảng bộ tỉnh", "", "", ""],
    ["T.H", "Đảng bộ huyện Sông Cầu", UPPER, "T", "", ""],
    ["T.X", "Đảng bộ xã Sông Cầu", UPPER, "T", "01/07/2025", "Xã"],
    ["T.H.01", "Đảng bộ xã An Bình", UPPER_BASE, "T.H", "", "Xã"],
    ["T.H.01.01", "Chi bộ Thôn Một", "Chi bộ trực thuộc", "T.H.01", "", ""],
    ["T.H.01.02", "Chi bộ Thôn Hai", "Chi bộ trực thuộc", "T.H.01", "", ""],
    ["T.H.02", "Chi bộ xã Bình Minh", "Chi bộ cơ sở", "T.H", "", "Xã"],
    ["T.H.03", "Chi bộ Trường Trung học cơ sở Sông Cầu", "Chi bộ cơ sở", "T.H", "", ""],
]
# (code, branch, admitted, official, 2016 grade)
MEMBERS = [
    ("DV01", "T.H.01.01", "03/02/2005", "03/02/2006", "Hoàn thành xuất sắc nhiệm vụ"),
    ("DV02", "T.H.01.01", "10/05/2010", "10/05/2011", "Hoàn thành tốt nhiệm vụ"),
    ("DV03", "T.H.01.02", "19/08/2012", "19/08/2013", "Hoàn thành tốt nhiệm vụ"),
    ("DV04", "T.H.02", "01/09/2008", "01/09/2009", "Hoàn thành nhiệm vụ"),
    ("DV05", "T.H.02", "15/03/2015", "15/03/2016", "Hoàn thành tốt nhiệm vụ"),
    ("DV06", "T.H.03", "20/11/2001", "20/11/2002", "Không hoàn thành nhiệm vụ"),
    ("DV07", "T.H.03", "02/09/2014", "02/09/2015", "Hoàn thành xuất sắc nhiệm vụ"),
]
EVENTS = [
    ["T.H.01", "Chuyển", "T.X", "", "", "01/07/2025", "125-QĐ/TU", "T"],
    ["T.H.03", "Sáp nhập", "", "T.H.02", "", "01/07/2025", "126-QĐ/TU", "T"],
    ["T.H.02", "Chuyển", "T.X", "", "", "01/07/2025", "125-QĐ/TU", "T"],
    ["T.H.02", "Đổi tên", "", "", "Chi bộ xã Bình Minh – Sông Cầu", "01/07/2025", "127-QĐ/TU", ""],
    ["T.H", "Giải thể", "", "", "", "01/07/2025", "128-QĐ/TU", "Tỉnh ủy Thử Nghiệm"],
]


def member_row(code, branch, admitted, official) -> list:
    row = dict.fromkeys(MEMBER_HEADERS, "")
    row.update(
        {
            "Mã đảng viên": code,
            "Họ và tên": f"Nguyễn Văn {code}",
            "Giới tính": "Nam",
            "Ngày sinh": "01/01/1980",
            "Mã chi bộ": branch,
            "Ngày vào Đảng": admitted,
            "Ngày chính thức": official,
        }
    )
    return list(row.values())


@pytest.fixture
def district(tmp_path):
    """The district imported as an officer would: organisations, members, 2016 grades."""
    imports = (
        ("orgs", ORG_CONTRACT_HEADERS, ORGS),
        ("members", MEMBER_HEADERS, [member_row(*m[:4]) for m in MEMBERS]),
        ("assessments", ["Mã đảng viên", "Năm", "Xếp loại"], [[m[0], 2016, m[4]] for m in MEMBERS]),
    )
    for kind, headers, rows in imports:
        status, out, err = run_import(kind, write_csv(tmp_path / f"{kind}.csv", headers, rows))
        assert status == 0, (kind, out, err)


def events_file(tmp_path, rows, name="events.xlsx"):
    return write_xlsx(tmp_path / name, HEADERS, rows)


def reports_of(code: str, *period: str) -> dict:
    found = {}
    for kind in ("structure", "quality"):
        status, out, err = run_report(kind, "--org", code, *period)
        assert status == 0, (kind, code, err)
        found[kind] = json.loads(out)
    return found


def test_the_2025_restructuring_of_a_district_leaves_its_2016_reports_as_they_were(
    district, tmp_path
):
    before = {code: reports_of(code, "--year", "2016") for code in ("T", "T.H")}
    assert before["T.H"]["quality"]["assessed"] == 7
    assert [child["name"] for child in before["T"]["quality"]["children"]] == [
        "Đảng bộ huyện Sông Cầu"
    ]

    status, out, err = run_import("org-events", events_file(tmp_path, EVENTS))
    assert (status, err) == (0, "")
    assert out == "Đã nhập sự kiện tổ chức đảng: tạo mới 5, cập nhật 0, không thay đổi 0.\n"

    after = {code: reports_of(code, "--year", "2016") for code in ("T", "T.H")}
    assert after == before  # figures and names of 2016, the district's included
    assert_history_holds()

    # Today's tree: the commune committee holds the moved base organisations and every member.
    this_year = ("--year", str(timezone.localdate().year))
    today = reports_of("T.X", *this_year)
    assert today["structure"]["members"] == 7
    names = sorted(child["name"] for child in today["quality"]["children"])
    assert names == ["Chi bộ xã Bình Minh – Sông Cầu", "Đảng bộ xã An Bình"]
    province = reports_of("T", *this_year)
    assert [child["name"] for child in province["quality"]["children"]] == ["Đảng bộ xã Sông Cầu"]
    assert province["structure"]["members"] == 7

    status, _out, err = run_report("structure", "--org", "T.H")
    assert status == 1
    assert "Đảng bộ huyện Sông Cầu đã kết thúc hoạt động từ ngày 01/07/2025" in err

    again = events_file(tmp_path, EVENTS, "again.csv")
    counts = {event.pk for event in OrgEvent.unscoped.all()}
    status, out, err = run_import("org-events", again)
    assert (status, err) == (0, "")
    assert out == "Đã nhập sự kiện tổ chức đảng: tạo mới 0, cập nhật 0, không thay đổi 5.\n"
    assert {event.pk for event in OrgEvent.unscoped.all()} == counts


def test_each_event_is_recorded_with_its_decision(district, tmp_path):
    assert run_import("org-events", events_file(tmp_path, EVENTS))[0] == 0
    by_code = {org.code: org for org in Organization.unscoped.all()}
    moved = by_code["T.H.01"]
    assert (moved.parent.code, moved.path) == ("T.X", f"{by_code['T.X'].path}{moved.pk}/")
    assert fresh(by_code["T.H.01.01"]).path.startswith(by_code["T.X"].path)
    assert states_of(by_code["T.H.02"]) == [
        (None, DAY, "Chi bộ xã Bình Minh", "T.H"),
        (DAY, None, "Chi bộ xã Bình Minh – Sông Cầu", "T.X"),
    ]
    absorbed, district_ = by_code["T.H.03"], by_code["T.H"]
    assert (absorbed.ended_on, district_.ended_on) == (DAY, DAY)
    assert dated.successor_of(absorbed) == by_code["T.H.02"]
    kinds = dict(OrgEvent.unscoped.values_list("org__code", "kind").exclude(kind="thanh_lap"))
    assert kinds == {
        "T.H.01": OrgEventKind.MOVE,
        "T.H.03": OrgEventKind.ABSORB,
        "T.H.02": OrgEventKind.RENAME,  # its move too, below
        "T.H": OrgEventKind.END,
    }
    assert OrgEvent.unscoped.filter(org__code="T.H.02", kind=OrgEventKind.MOVE).count() == 1
    ending = OrgEvent.unscoped.get(org=district_)
    assert (ending.decision_number, ending.deciding_body) == ("128-QĐ/TU", "Tỉnh ủy Thử Nghiệm")
    assert ending.note == "Nhập từ tệp events.xlsx"
    assert OrgEvent.unscoped.get(org=absorbed).deciding_org == by_code["T"]
    # The school's members are in the receiving branch from that day, without a transfer.
    for code in ("DV06", "DV07"):
        member = Member.unscoped.get(code=code)
        assert member.branch == by_code["T.H.02"]
        starts = Placement.objects.filter(member=member).values_list("branch__code", "start")
        assert [row for row in starts if row[1] == DAY] == [("T.H.02", DAY)]
    assert not MemberEvent.objects.filter(kind=EventKind.TRANSFERRED).exists()
    assert AuditEntry.unscoped.filter(action="member.restructure").count() == 2


def test_a_disbandment_and_an_amalgamation_through_the_command(district, tmp_path):
    orgs = [
        ["T.X.01", "Chi bộ xã Sông Cầu", "Chi bộ cơ sở", "T.X", "01/07/2025", "Xã"],
        ["T.H.04", "Chi bộ Hợp tác xã", "Chi bộ cơ sở", "T.H", "", ""],
    ]
    assert run_import("orgs", write_csv(tmp_path / "o.csv", ORG_CONTRACT_HEADERS, orgs))[0] == 0
    rows = [
        ["T.H.02", "Sáp nhập", "", "T.X.01", "", "01/07/2025", "130-QĐ/TU", ""],
        ["T.H.03", "sap nhap", "", "T.X.01", "", "01/07/2025", "130-QĐ/TU", ""],
        ["T.H.04", "Giải tán", "", "", "", "01/08/2025", "9-QĐ/UBKT", ""],
    ]
    status, out, err = run_import("org-events", events_file(tmp_path, rows))
    assert (status, err) == (0, ""), out
    events = OrgEvent.unscoped.exclude(kind=OrgEventKind.ESTABLISH)
    assert sorted(events.values_list("org__code", "kind", "receiving__code")) == [
        ("T.H.02", OrgEventKind.AMALGAMATE, "T.X.01"),
        ("T.H.03", OrgEventKind.AMALGAMATE, "T.X.01"),
        ("T.H.04", OrgEventKind.DISBAND, None),
    ]
    assert Member.unscoped.filter(branch__code="T.X.01").count() == 4
    assert Organization.unscoped.get(code="T.H.04").ended_on == datetime.date(2025, 8, 1)
    assert_history_holds()


def test_a_file_with_a_refused_row_writes_nothing_and_names_every_problem(district, tmp_path):
    rows = [
        *EVENTS[:3],
        ["T.H", "Giải thể", "", "", "", "01/07/2025", "128-QĐ/TU", ""],  # after the moves
        ["T.H.09", "Đổi tên", "", "", "Chi bộ Mới", "01/07/2025", "1-QĐ", ""],
        ["T.H.01.01", "Chia tách", "", "", "", "01/07/2025", "2-QĐ", ""],
        ["T.H.01.02", "Chuyển", "", "", "Tên", "01/07/2025", "", ""],
        ["T.H.01.02", "Đổi tên", "", "", "Chi bộ Thôn Ba", "01/07/2099", "3-QĐ", ""],
        ["T.H.01.02", "Sáp nhập", "", "T.H.01", "", "01/07/2025", "4-QĐ", ""],
        ["T.H.01", "Chuyển", "T.X", "", "", "01/07/2025", "5-QĐ", ""],
    ]
    before = OrgState.unscoped.count(), OrgEvent.unscoped.count()
    status, out, err = run_import("org-events", events_file(tmp_path, rows))
    assert status == 1
    assert "không có dữ liệu nào được ghi" in err
    assert out.splitlines() == [
        'dòng 6, cột "Mã tổ chức": không tìm thấy tổ chức mã T.H.09 trong phạm vi quản lý.',
        'dòng 7, cột "Sự kiện": “Chia tách” không phải sự kiện hợp lệ (Chuyển, Đổi tên, '
        "Sáp nhập, Giải thể, Giải tán).",
        'dòng 8, cột "Mã tổ chức cấp trên mới": bắt buộc với sự kiện Chuyển.',
        'dòng 8, cột "Số quyết định": không được để trống.',
        'dòng 8, cột "Tên mới": để trống với sự kiện Chuyển.',
        'dòng 9, cột "Ngày hiệu lực": không thể ở tương lai.',
        'dòng 10, cột "Mã tổ chức tiếp nhận": Chi bộ Thôn Hai còn 1 đảng viên đang sinh hoạt; '
        "đảng viên chỉ sinh hoạt ở chi bộ, mà Đảng bộ xã An Bình là Đảng bộ cơ sở.",
        'dòng 11, cột "Mã tổ chức": sự kiện này bị trùng với dòng 2.',
    ]
    assert (OrgState.unscoped.count(), OrgEvent.unscoped.count()) == before


def test_a_dry_run_checks_the_rows_in_order_and_writes_nothing(district, tmp_path):
    status, out, err = run_import("org-events", events_file(tmp_path, EVENTS), "--dry-run")
    assert (status, err) == (0, "")
    assert "Kiểm tra xong, tệp hợp lệ, chưa ghi gì (sự kiện tổ chức đảng: sẽ tạo mới 5," in out
    assert not OrgEvent.unscoped.exclude(kind=OrgEventKind.ESTABLISH).exists()
    assert Organization.unscoped.get(code="T.H").ended_on is None
    # The district cannot end while a base organisation is still under it.
    status, out, _err = run_import("org-events", events_file(tmp_path, EVENTS[1:]), "--dry-run")
    assert status == 1
    assert out.strip() == (
        'dòng 5, cột "Sự kiện": Đảng bộ huyện Sông Cầu còn 1 tổ chức trực thuộc đang hoạt '
        "động: hãy chuyển hoặc giải thể các tổ chức này trước."
    )


def test_an_event_recorded_otherwise_is_not_overwritten(district, tmp_path):
    assert run_import("org-events", events_file(tmp_path, EVENTS[:1]))[0] == 0
    other = [["T.H.01", "Chuyển", "T", "", "", "01/07/2025", "125-QĐ/TU", ""]]
    status, out, _err = run_import("org-events", events_file(tmp_path, other, "other.xlsx"))
    assert status == 1
    assert out.startswith(
        'dòng 2, cột "Mã tổ chức cấp trên mới": sự kiện chuyển ngày 01/07/2025 đã được ghi '
        "với «T.X»"
    )


def test_an_officer_imports_only_within_scope_through_the_web(world):
    client = world.client(Role.OFFICER)
    day = f"{timezone.localdate():%d/%m/%Y}"
    rows = [
        [world.other_branch.code, "Sáp nhập", "", world.branch.code, "", day, "7-QĐ/ĐU", ""],
        [world.base.code, "Chuyển", world.outside_upper.code, "", "", day, "8-QĐ/ĐU", ""],
    ]
    content = "\n".join(",".join(row) for row in [HEADERS, *rows]).encode()
    response = client.post(
        "/imports/org-events/", {"file": SimpleUploadedFile("su-kien.csv", content)}
    )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert f"không tìm thấy tổ chức mã {world.outside_upper.code} trong phạm vi quản lý." in page
    assert fresh(world.other_branch).ended_on is None

    content = "\n".join(",".join(row) for row in [HEADERS, rows[0]]).encode()
    response = client.post(
        "/imports/org-events/", {"file": SimpleUploadedFile("su-kien.csv", content)}
    )
    preview = response["Location"]
    page = client.post(f"{preview}confirm/", follow=True).content.decode()
    assert "Đã nhập sự kiện tổ chức đảng: tạo mới 1, cập nhật 0, không thay đổi 0." in page
    assert Member.unscoped.get(pk=world.other_member.pk).branch == world.branch
    event = OrgEvent.unscoped.get(org=world.other_branch)
    assert event.recorded_by == world.users[Role.OFFICER]
    upload = ImportUpload.objects.get(pk=preview.rstrip("/").split("/")[-1])
    assert upload.status == ImportUpload.Status.IMPORTED


def test_rows_apply_by_date_and_optional_columns_may_be_left_out(district, tmp_path):
    headers = ["Mã tổ chức", "Sự kiện", "Ngày hiệu lực", "Số quyết định", "Tên mới"]
    rows = [
        ["T.H.02", "Đổi tên", "01/09/2025", "2-QĐ/HU", "Chi bộ xã Bình Minh Mới"],
        ["T.H.02", "Đổi tên", "01/03/2025", "1-QĐ/HU", "Chi bộ xã Bình Minh Một"],
    ]
    status, out, err = run_import("org-events", write_csv(tmp_path / "e.csv", headers, rows))
    assert (status, err) == (0, ""), out
    assert states_of(Organization.unscoped.get(code="T.H.02")) == [
        (None, datetime.date(2025, 3, 1), "Chi bộ xã Bình Minh", "T.H"),
        (datetime.date(2025, 3, 1), datetime.date(2025, 9, 1), "Chi bộ xã Bình Minh Một", "T.H"),
        (datetime.date(2025, 9, 1), None, "Chi bộ xã Bình Minh Mới", "T.H"),
    ]


def test_a_file_written_before_a_code_changed_still_names_the_organisation(district, tmp_path):
    """A former code (FormerCode) names the one organisation that had it: the row goes on
    under today's code; a second import still changes nothing."""
    admin = user_with_role(Role.ADMIN, None, "quantri")
    change_org_code(admin, Organization.unscoped.get(code="T.X"), "T.XA")
    rows = [["T.H.01", "Chuyển", "T.X", "", "", "01/07/2025", "125-QĐ/TU", "T"]]
    status, out, err = run_import("org-events", events_file(tmp_path, rows))
    assert status == 0, (out, err)
    moved = Organization.unscoped.get(code="T.H.01")
    assert moved.parent.code == "T.XA"
    again = run_import("org-events", events_file(tmp_path, rows, "again.xlsx"))
    assert again[0] == 0 and "không thay đổi 1" in again[1]


def test_the_copies_of_the_paths_follow_a_batch_of_moves(district, tmp_path, client):
    """The moves of one file rewrite the copies of the paths (members, grades) together; a
    move under an organisation moved earlier in the file (T.H.01.01 into T.X.05 after T.H.01
    went under T.X) and the end of the old district still see where everything stands."""
    status, out, err = run_import(
        "orgs",
        write_csv(
            tmp_path / "new.csv",
            ORG_CONTRACT_HEADERS,
            [["T.X.05", "Đảng bộ Công ty Sông Cầu", UPPER_BASE, "T.X", "01/07/2025", ""]],
        ),
    )
    assert status == 0, (out, err)
    rows = [
        ["T.H.01", "Chuyển", "T.X", "", "", "01/07/2025", "125-QĐ/TU", "T"],
        ["T.H.02", "Chuyển", "T.X", "", "", "01/07/2025", "125-QĐ/TU", "T"],
        ["T.H.01.01", "Chuyển", "T.X.05", "", "", "01/07/2025", "129-QĐ/TU", "T"],
        ["T.H.03", "Chuyển", "T.X", "", "", "01/07/2025", "125-QĐ/TU", "T"],
        ["T.H", "Giải thể", "", "", "", "01/07/2025", "128-QĐ/TU", "T"],
    ]
    status, out, err = run_import("org-events", events_file(tmp_path, rows))
    assert (status, err) == (0, ""), out
    branch_of = {m.code: m.branch for m in Member.unscoped.select_related("branch")}
    assert {code: Member.unscoped.get(code=code).branch_path for code in branch_of} == {
        code: branch.path for code, branch in branch_of.items()
    }
    grades = MemberAssessment.unscoped.select_related("member__branch")
    assert {(g.member.code, g.branch_path) for g in grades} == {
        (code, branch.path) for code, branch in branch_of.items()
    }
    assert Organization.unscoped.get(code="T.H.01.01").path.startswith(
        Organization.unscoped.get(code="T.X.05").path
    )
    # Scopes follow: the new base committee's officer sees the two members of its branch.
    client.force_login(
        user_with_role(Role.OFFICER, Organization.unscoped.get(code="T.X.05"), "canbocongty")
    )
    listing = client.get("/members/").content.decode()
    assert ("Nguyễn Văn DV01" in listing, "Nguyễn Văn DV02" in listing) == (True, True)
    assert "Nguyễn Văn DV03" not in listing


def test_a_move_to_the_parent_it_has_and_a_rename_to_its_name_record_nothing(district, tmp_path):
    rows = [
        ["T.H.01", "Chuyển", "T.H", "", "", "01/07/2025", "130-QĐ/TU", ""],
        ["T.H.02", "Đổi tên", "", "", "Chi bộ  xã Bình Minh", "01/07/2025", "131-QĐ/TU", ""],
        ["T.H.03", "Chuyển", "T.X", "", "", "01/07/2025", "132-QĐ/TU", ""],
    ]
    status, out, err = run_import("org-events", events_file(tmp_path, rows))
    assert (status, err) == (0, "")
    assert out == "Đã nhập sự kiện tổ chức đảng: tạo mới 1, cập nhật 0, không thay đổi 2.\n"
    recorded = OrgEvent.unscoped.exclude(kind=OrgEventKind.ESTABLISH)
    assert [(event.org.code, event.kind) for event in recorded] == [("T.H.03", OrgEventKind.MOVE)]
