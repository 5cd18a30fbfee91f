"""`dangvien import dues-bases` and `dues-payments`: all or nothing, through the same rules as
the pages, keyed by (member, month); the same file twice changes nothing, a changed amount is a
correction with the file as its reason."""

import datetime
import re

from dangvien.core.models import AuditEntry
from dangvien.core.roles import Role
from dangvien.dues import services
from dangvien.dues.bases_importing import COLUMNS as BASE_COLUMNS
from dangvien.dues.importing import COLUMNS as PAYMENT_COLUMNS
from dangvien.dues.importing import PaymentsPlan
from dangvien.dues.models import DuesBasis, DuesPayment
from dangvien.members.models import Member, Status
from tests.assessments.commands import run_import
from tests.dues.helpers import declare
from tests.spreadsheets import write_csv

BASES = [column.header for column in BASE_COLUMNS]
PAYMENTS = [column.header for column in PAYMENT_COLUMNS]


def test_bases_then_payments_all_or_nothing_and_idempotent(world, tmp_path):
    bases = write_csv(
        tmp_path / "muc-can-cu.csv",
        BASES,
        [
            [world.member.code, "01/2026", "Hưởng lương, đóng BHXH bắt buộc", "10.000.000"],
            [world.other_member.code, "01/2026", "Học sinh, sinh viên", ""],
        ],
    )
    status, out, err = run_import("dues-bases", bases)
    assert (status, err) == (0, ""), out + err
    assert DuesBasis.unscoped.count() == 2

    rows = [
        [world.member.code, "05/2026", "100000", "Cổng dịch vụ công", "DVC-9", "10/05/2026"],
        [world.other_member.code, "05/2026", "5000", "", "", "11/05/2026"],
    ]
    bad = write_csv(
        tmp_path / "sai.csv", PAYMENTS, [*rows, ["KHONGCO", "13/2026", "x", "", "", ""]]
    )
    status, out, err = run_import("dues-payments", bad)
    assert status == 1 and not DuesPayment.unscoped.exists()
    assert 'dòng 4, cột "Mã đảng viên"' in out + err or 'dòng 4, cột "Tháng"' in out + err

    good = write_csv(tmp_path / "dang-phi.csv", PAYMENTS, rows)
    status, out, err = run_import("dues-payments", good)
    assert (status, err) == (0, "") and "tạo mới 2" in out, out + err
    paid = DuesPayment.unscoped.get(member=world.member)
    assert (paid.month, paid.channel, paid.reference) == (
        datetime.date(2026, 5, 1),
        "cong_dvc",
        "DVC-9",
    )
    assert paid.branch == world.branch

    entries = AuditEntry.unscoped.count()
    status, out, err = run_import("dues-payments", good)
    assert status == 0 and "không thay đổi 2" in out
    assert AuditEntry.unscoped.count() == entries

    rows[1][2] = "6.000"
    status, out, err = run_import("dues-payments", write_csv(tmp_path / "sua.csv", PAYMENTS, rows))
    assert status == 0 and "cập nhật 1" in out, out + err
    corrected = DuesPayment.unscoped.get(member=world.other_member)
    assert corrected.amount == 6000 and corrected.version == 2


def test_a_code_outside_the_scope_reads_as_one_that_does_not_exist(world, tmp_path):
    """The import tells a treasurer nothing about codes elsewhere: a member outside their scope
    and a code nobody has get the same refusal."""
    rows = [
        [world.outside_member.code, "05/2026", "5000", "", "", "11/05/2026"],
        ["KHONGCO", "05/2026", "5000", "", "", "11/05/2026"],
    ]
    content = write_csv(tmp_path / "ngoai.csv", PAYMENTS, rows).read_bytes()
    plan = PaymentsPlan(content, "ngoai.csv", world.users[Role.SECRETARY])
    said = {problem.row: problem.message for problem in plan.report.problems}
    assert said[2].replace(world.outside_member.code, "X") == said[3].replace("KHONGCO", "X")
    assert "trong phạm vi thu đảng phí" in said[2]


def test_no_dues_are_recorded_after_the_member_left(world, tmp_path):
    """Struck off on 10/04/2026: April is still owed, May is refused by the service, whichever
    path records it (here the import, which the sheet's list of members does not guard)."""
    Member.unscoped.filter(pk=world.member.pk).update(
        status=Status.REMOVED, left_on=datetime.date(2026, 4, 10)
    )
    row = [world.member.code, "05/2026", "100000", "", "", "11/05/2026"]
    status, out, err = run_import("dues-payments", write_csv(tmp_path / "a.csv", PAYMENTS, [row]))
    assert status == 1 and not DuesPayment.unscoped.exists()
    assert "ra khỏi danh sách đảng viên từ ngày 10/04/2026" in out + err
    assert "không thu đảng phí tháng 05/2026" in out + err
    row[1:] = ["04/2026", "100000", "", "", "11/04/2026"]
    status, out, err = run_import("dues-payments", write_csv(tmp_path / "b.csv", PAYMENTS, [row]))
    assert status == 0, out + err
    assert DuesPayment.unscoped.get().month == datetime.date(2026, 4, 1)


def test_a_file_imported_again_does_not_undo_a_correction_made_by_hand(world, tmp_path):
    """The treasurer imports May, corrects one month on the sheet, then the same file comes in
    again: the preview marks that row a conflict (who corrected it, when, why) and the import
    leaves the correction as it is; the other rows are unchanged."""
    secretary = world.client(Role.SECRETARY)
    declare(secretary, world.member)
    rows = [
        [world.member.code, "05/2026", "100000", "", "", "10/05/2026"],
        [world.other_member.code, "05/2026", "5000", "", "", "11/05/2026"],
    ]
    path = write_csv(tmp_path / "thang-5.csv", PAYMENTS, rows)
    status, out, err = run_import("dues-payments", path)
    assert (status, err) == (0, "") and "tạo mới 2" in out, out + err

    payment = DuesPayment.unscoped.get(member=world.member)
    url = f"/dues/payment/{payment.pk}/correct/"
    token = re.search(r'name="version" value="([^"]+)"', secretary.get(url).content.decode())[1]
    data = {"amount": "120000", "channel": "tien_mat", "paid_on": "10/05/2026", "version": token}
    response = secretary.post(url, {**data, "reason": "Nộp thêm phần lương tháng 4"})
    assert response.status_code == 302

    officer = world.client(Role.OFFICER)
    with path.open("rb") as handle:
        response = officer.post("/imports/dues-payments/", {"file": handle})
    preview = response["Location"]
    page = officer.get(preview).content.decode()
    assert "xung đột: bỏ qua" in page
    assert "Nộp thêm phần lương tháng 4" in page and "tệp không ghi đè" in page
    assert "cập nhật 0</strong>" in page
    response = officer.post(f"{preview}confirm/", follow=True)
    assert response.status_code == 200
    payment.refresh_from_db()
    assert (payment.amount, payment.version) == (120_000, 2)

    # The command line says so too, and a correction made by a file is corrected again.
    status, out, err = run_import("dues-payments", path)
    assert status == 0 and "tệp không ghi đè" in out + err
    rows[1][2] = "6.000"
    status, out, err = run_import("dues-payments", write_csv(tmp_path / "b.csv", PAYMENTS, rows))
    assert status == 0 and "cập nhật 1" in out, out + err
    rows[1][2] = "7.000"
    status, out, err = run_import("dues-payments", write_csv(tmp_path / "c.csv", PAYMENTS, rows))
    assert status == 0 and "cập nhật 1" in out, out + err
    assert DuesPayment.unscoped.get(member=world.other_member).amount == 7_000
    assert DuesPayment.unscoped.get(member=world.member).amount == 120_000


def test_an_exemption_from_a_file_says_where_it_came_from(world, tmp_path):
    bases = write_csv(
        tmp_path / "mien-dong.csv",
        BASES,
        [[world.member.code, "01/2026", "Được miễn đóng đảng phí", ""]],
    )
    status, out, err = run_import("dues-bases", bases)
    assert (status, err) == (0, ""), out + err
    note = DuesBasis.unscoped.get(member=world.member).note
    assert note.startswith("Miễn đóng đảng phí theo tệp «mien-dong.csv» nhập ngày ")
    assert "lý do cụ thể theo quyết định của chi bộ" in note


def test_a_correction_made_on_the_command_line_is_named_so_in_the_conflict(world, tmp_path):
    """A correction with no person behind it (the command line, not a file) is still a hand
    correction: the import names the command line as who made it."""
    declare(world.client(Role.SECRETARY), world.member)
    rows = [[world.member.code, "05/2026", "100000", "", "", "10/05/2026"]]
    path = write_csv(tmp_path / "thang-5.csv", PAYMENTS, rows)
    assert run_import("dues-payments", path)[0] == 0
    payment = DuesPayment.unscoped.get(member=world.member)
    services.correct_payment(
        None,
        payment,
        amount=110_000,
        channel=payment.channel,
        reference=payment.reference,
        paid_on=payment.paid_on,
        reason="Đối chiếu sổ quỹ",
    )
    status, out, err = run_import("dues-payments", path)
    assert status == 0 and "đã được dòng lệnh sửa" in out + err, out + err
    assert DuesPayment.unscoped.get(pk=payment.pk).amount == 110_000
