"""The structure report's transfers in and out (chuyển sinh hoạt đảng, 7-HSĐV columns 10–11):
counted for each side on the day the member arrived, by the tree of the report's date; a
transfer inside the reported subtree is neither in nor out of it; a temporary one is hosted,
not counted in."""

import datetime
import io
import json

from django.core.management import call_command

from dangvien.core.decisions import Decision
from dangvien.core.roles import Role
from dangvien.core.scope import unscoped
from dangvien.organizations.services import absorb_organization, move_organization
from tests.reports.commands import run_report
from tests.spreadsheets import write_csv
from tests.transfers.steps import ONE_DAY, arrive, issue, latest, today

DESTINATION = "Đảng bộ Tổng công ty Điện lực miền Bắc"
TRANSFER_HEADERS = [
    "Mã đảng viên",
    "Ngày chuyển",
    "Loại",
    "Mã chi bộ chuyển đến",
    "Nơi chuyển đến",
    "Số giấy giới thiệu",
]


def transfers(org, year) -> dict:
    status, out, err = run_report("structure", "--org", org.code, "--year", str(year))
    assert status == 0, err
    return json.loads(out)["chuyen_sinh_hoat"]


def test_a_permanent_transfer_is_out_of_one_side_and_into_the_other(world):
    arrived_on = today() - ONE_DAY * 3
    letter_on = arrived_on - ONE_DAY * 2
    year = arrived_on.year
    sender, receiver = world.client(Role.OFFICER), world.client("outside_officer")
    issue(
        sender,
        world.member,
        to_code=world.outside_branch.code,
        trigger_on=letter_on,
        letter_issued_on=letter_on,
    )
    # The letter is out, the member has not arrived: waiting on the sending side only.
    waiting = transfers(world.upper, year)
    assert (waiting["chua_den_sinh_hoat"], waiting["chuyen_di"]) == (1, 0)
    assert transfers(world.outside_upper, year)["chua_den_sinh_hoat"] == 0

    assert arrive(receiver, latest(world.member), arrived_on).status_code == 302
    sent, received = transfers(world.upper, year), transfers(world.outside_upper, year)
    assert (sent["chuyen_di"], sent["chuyen_den"], sent["chua_den_sinh_hoat"]) == (1, 0, 0)
    assert (received["chuyen_den"], received["chuyen_di"]) == (1, 0)
    assert sent["chuyen_di_ra_ngoai_he_thong"] == received["chuyen_den_tu_ngoai_he_thong"] == 0
    assert (sent["tu_ngay"], sent["den_ngay"]) == (f"{year}-01-01", f"{year}-12-31")
    # Both sides are in the province: nobody came into it or left it.
    province = transfers(world.province, year)
    assert (province["chuyen_den"], province["chuyen_di"]) == (0, 0)
    # The year before saw none of it.
    before = transfers(world.upper, year - 1)
    assert (before["chuyen_di"], before["chua_den_sinh_hoat"]) == (0, 0)


def test_out_of_the_system_and_a_temporary_stay(world):
    officer = world.client(Role.OFFICER)
    letter_on = today() - ONE_DAY * 10
    issue(
        officer,
        world.member,
        outside_destination=DESTINATION,
        trigger_on=letter_on,
        letter_issued_on=letter_on,
    )
    assert arrive(officer, latest(world.member), letter_on + ONE_DAY).status_code == 302
    issue(
        officer,
        world.other_member,
        kind="temporary",
        to_code=world.outside_branch.code,
        temporary_until=letter_on + ONE_DAY * 120,
        trigger_on=letter_on,
        letter_issued_on=letter_on,
    )
    assert (
        arrive(
            world.client("outside_officer"), latest(world.other_member), letter_on + ONE_DAY
        ).status_code
        == 302
    )
    year = (letter_on + ONE_DAY).year
    sent = transfers(world.upper, year)
    assert (sent["chuyen_di"], sent["chuyen_di_ra_ngoai_he_thong"]) == (1, 1)
    hosting = transfers(world.outside_upper, year)
    # Hosted for a while, counted at home: not a transfer in.
    assert (hosting["sinh_hoat_tam_thoi"], hosting["chuyen_den"]) == (1, 0)
    assert transfers(world.province, year)["chuyen_di_ra_ngoai_he_thong"] == 1


def test_a_past_year_keeps_its_transfers_after_the_tree_changes(world, tmp_path):
    """A move between two branches of one base organisation in 2025, the sending branch
    absorbed later that year, the base moved in 2026: the 2025 figures stay what they were
    (the ended branch stands where it last stood, inside the base, not "outside")."""
    rows = [[world.member.code, "10/03/2025", "", world.other_branch.code, "", "4-GGT"]]
    path = write_csv(tmp_path / "transfers.csv", TRANSFER_HEADERS, rows)
    call_command("import", "transfers", str(path), stdout=io.StringIO())
    admin = world.users[Role.ADMIN]
    with unscoped():
        absorb_organization(
            admin,
            world.branch,
            world.other_branch,
            Decision(datetime.date(2025, 7, 1), "20-QĐ/ĐU", reason="Sáp nhập hai chi bộ"),
        )
    before = {org.code: transfers(org, 2025) for org in (world.base, world.upper)}
    assert (before[world.base.code]["chuyen_den"], before[world.base.code]["chuyen_di"]) == (0, 0)
    with unscoped():
        move_organization(
            admin, world.base, world.outside_upper, Decision(datetime.date(2026, 2, 1), "2-QĐ/TU")
        )
    assert {org.code: transfers(org, 2025) for org in (world.base, world.upper)} == before
