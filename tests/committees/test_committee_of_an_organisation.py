"""An officer opens a term at the congress of an organisation, records who holds which post,
ends a post with a reason and corrects one; the organisation's page, the member's page and the
next term keep it all."""

import datetime

from dangvien.committees.models import Seat, Term
from dangvien.core.models import AuditEntry
from dangvien.core.roles import Role
from dangvien.core.rules import add_months
from tests.committees.steps import add_seat, end_seat, open_term
from tests.factories import MemberFactory
from tests.meetings.steps import version
from tests.transfers.steps import ONE_DAY, ddmmyyyy, today


def test_an_officer_records_the_committee_of_a_base_organisation(world):
    officer = world.client(Role.OFFICER)
    org_page = officer.get(f"/orgs/{world.base.code}/").content.decode()
    assert f'href="/committees/org/{world.base.code}/"' in org_page
    assert 'href="/committees/"' in org_page  # the menu: «Cấp ủy, lịch đại hội»

    congress = today() - 400 * ONE_DAY
    response = open_term(officer, world.base, congress, label="2025–2030")
    assert response.status_code == 302
    term = Term.unscoped.get(organization=world.base)
    # A base committee: once in 5 years by default, ±6 months.
    assert term.congress_due_on == add_months(congress, 60)
    assert term.congress_latest_on == add_months(congress, 66)
    assert term.org_path == world.base.path

    # A member of a branch below is elected to the base committee (the subtree).
    elected = congress + ONE_DAY
    response = add_seat(
        officer,
        term,
        world.member,
        elected,
        approved_on=ddmmyyyy(elected + 10 * ONE_DAY),
        approval_number="12-QĐ/ĐU",
        approval_body="Đảng ủy phường Hòa Bình",
    )
    assert response.status_code == 302
    response = add_seat(
        officer, term, world.other_member, elected, post="chu_nhiem_ubkt", body="uy_ban_kiem_tra"
    )
    assert response.status_code == 302

    page = officer.get(f"/committees/org/{world.base.code}/").content.decode()
    assert "Nhiệm kỳ 2025–2030" in page and "Nguyễn Văn An" in page
    assert "12-QĐ/ĐU" in page and "Chủ nhiệm ủy ban kiểm tra" in page
    assert f"{add_months(congress, 60):%d/%m/%Y}" in page

    member_page = officer.get(f"/members/{world.member.pk}/").content.decode()
    assert 'id="member-posts"' in member_page and "Bí thư (cấp ủy)" in member_page


def test_a_member_outside_the_subtree_on_the_election_day_gets_no_seat(world):
    officer = world.client(Role.OFFICER)
    open_term(officer, world.branch, today() - 30 * ONE_DAY)
    term = Term.unscoped.get(organization=world.branch)
    refused = add_seat(officer, term, world.other_member, today() - 30 * ONE_DAY)
    assert refused.status_code == 400
    assert "không sinh hoạt trong Chi bộ Tổ Toán" in refused.content.decode()
    # Before the term opened is outside the term.
    early = add_seat(officer, term, world.member, today() - 31 * ONE_DAY)
    assert early.status_code == 400 and "ngoài nhiệm kỳ" in early.content.decode()
    assert not Seat.unscoped.exists()


def test_one_secretary_a_day_and_ending_needs_a_reason(world):
    officer = world.client(Role.OFFICER)
    start = today() - 100 * ONE_DAY
    second = MemberFactory(full_name="Lê Thị Cúc", branch=world.branch)
    open_term(officer, world.branch, start)
    term = Term.unscoped.get(organization=world.branch)
    assert add_seat(officer, term, world.member, start).status_code == 302
    first = Seat.unscoped.get()

    refused = add_seat(officer, term, second, start + 50 * ONE_DAY)
    assert refused.status_code == 400
    assert "mỗi ngày một tổ chức chỉ có một bí thư" in refused.content.decode()

    # Ending asks for confirmation, with a reason.
    confirm = officer.get(f"/committees/seats/{first.pk}/end/")
    assert confirm.status_code == 200 and "Xác nhận thôi giữ chức vụ" in confirm.content.decode()
    no_reason = end_seat(officer, first, start + 50 * ONE_DAY, reason="")
    assert no_reason.status_code == 400
    first.refresh_from_db()
    assert first.ended_on is None
    assert end_seat(officer, first, start + 50 * ONE_DAY).status_code == 302

    # The successor elected on the day the first one leaves; not a day before.
    before = add_seat(officer, term, second, start + 49 * ONE_DAY)
    assert before.status_code == 400
    assert add_seat(officer, term, second, start + 50 * ONE_DAY).status_code == 302
    first.refresh_from_db()
    assert first.end_reason == "Chuyển công tác"
    entry = AuditEntry.unscoped.get(action="committee.seat_end", target_id=first.pk)
    assert entry.reason == "Chuyển công tác"


def test_a_branch_elects_a_chi_uy_only_with_enough_official_members(world):
    officer = world.client(Role.OFFICER)
    start = today() - 10 * ONE_DAY
    open_term(officer, world.branch, start)
    term = Term.unscoped.get(organization=world.branch)
    # 1 official member and 7 more: 8 < 9, a secretary and a deputy only.
    others = [MemberFactory(branch=world.branch) for _ in range(7)]
    refused = add_seat(officer, term, others[0], start, post="cap_uy_vien")
    assert refused.status_code == 400
    assert "8 đảng viên chính thức" in refused.content.decode()
    assert add_seat(officer, term, others[0], start, post="pho_bi_thu").status_code == 302
    standing = add_seat(officer, term, others[1], start, post="uy_vien_btv", body="ban_thuong_vu")
    assert standing.status_code == 400 and "không bầu ban thường vụ" in standing.content.decode()

    # A probationary member does not count; the ninth official one does.
    MemberFactory(branch=world.branch, official_on=None, status="probationary")
    assert add_seat(officer, term, others[1], start, post="cap_uy_vien").status_code == 400
    MemberFactory(branch=world.branch, official_on=datetime.date(2015, 1, 1))
    assert add_seat(officer, term, others[1], start, post="cap_uy_vien").status_code == 302


def test_a_correction_records_its_reason_and_an_annulled_seat_is_kept(world):
    officer = world.client(Role.OFFICER)
    start = today() - 10 * ONE_DAY
    open_term(officer, world.branch, start)
    term = Term.unscoped.get(organization=world.branch)
    add_seat(officer, term, world.member, start, post="pho_bi_thu")
    seat = Seat.unscoped.get()
    url = f"/committees/seats/{seat.pk}/correct/"
    data = {
        "version": version(officer, url),
        "body": "cap_uy",
        "post": "bi_thu",
        "chosen": "dai_hoi",
        "elected_on": ddmmyyyy(start),
        "reason": "",
    }
    assert officer.post(url, data).status_code == 400
    assert officer.post(url, {**data, "reason": "Ghi nhầm chức vụ"}).status_code == 302
    seat.refresh_from_db()
    assert seat.post == "bi_thu"
    entry = AuditEntry.unscoped.get(action="committee.seat_correct")
    assert entry.reason == "Ghi nhầm chức vụ" and entry.changes["post"] == ["pho_bi_thu", "bi_thu"]

    annul = officer.post(f"/committees/seats/{seat.pk}/annul/", {"reason": "Ghi nhầm người"})
    assert annul.status_code == 302
    seat.refresh_from_db()
    assert seat.annulled_at is not None and Seat.unscoped.count() == 1
    page = officer.get(f"/committees/org/{world.branch.code}/").content.decode()
    assert "Chức vụ đã hủy vì ghi nhầm (1)" in page and "Ghi nhầm người" in page


def test_a_new_term_ends_the_one_before_and_its_seats(world):
    officer = world.client(Role.OFFICER)
    first_congress = today() - 800 * ONE_DAY
    open_term(officer, world.branch, first_congress, label="2022–2025")
    old = Term.unscoped.get()
    add_seat(officer, old, world.member, first_congress)
    new_congress = today() - 20 * ONE_DAY
    assert open_term(officer, world.branch, new_congress).status_code == 302
    old.refresh_from_db()
    seat = Seat.unscoped.get()
    assert old.ends_on == new_congress and seat.ended_on == new_congress
    assert seat.end_reason == "Hết nhiệm kỳ 2022–2025"
    # A seat of the old term recorded afterwards ends with it.
    deputy = MemberFactory(branch=world.branch)
    assert add_seat(officer, old, deputy, first_congress, post="pho_bi_thu").status_code == 302
    assert Seat.unscoped.get(member=deputy).ended_on == new_congress
    # A term opened before the last one started is refused.
    refused = open_term(officer, world.branch, first_congress - ONE_DAY, label="2019–2022")
    assert refused.status_code == 400 and Term.unscoped.count() == 2
    page = officer.get(f"/committees/org/{world.branch.code}/").content.decode()
    assert "Nhiệm kỳ 2025–2027" in page and "Nhiệm kỳ 2022–2025" in page


def test_scope_of_the_committee_pages(world):
    officer = world.client(Role.OFFICER)
    open_term(officer, world.branch, today() - 10 * ONE_DAY)
    term = Term.unscoped.get()
    outsider = world.client("outside_officer")
    assert outsider.get(f"/committees/org/{world.branch.code}/").status_code == 404
    assert outsider.get(f"/committees/terms/{term.pk}/seats/new/").status_code == 404
    # A branch secretary reads the committee but does not record it (the upper level does).
    secretary = world.client(Role.SECRETARY)
    assert secretary.get(f"/committees/org/{world.branch.code}/").status_code == 200
    refused = add_seat(secretary, term, world.member, today() - 10 * ONE_DAY)
    assert refused.status_code in (403, 404) and not Seat.unscoped.exists()


def test_a_term_corrected_with_a_reason_moves_its_due_date(world):
    officer = world.client(Role.OFFICER)
    typed = today() - 40 * ONE_DAY
    open_term(officer, world.branch, typed)
    term = Term.unscoped.get()
    url = f"/committees/terms/{term.pk}/correct/"
    congress = typed - 5 * ONE_DAY
    data = {
        "version": version(officer, url),
        "label": "2025–2027",
        "congress_on": ddmmyyyy(congress),
        "starts_on": "",
        "reason": "",
    }
    assert officer.post(url, data).status_code == 400
    assert officer.post(url, {**data, "reason": "Ghi nhầm ngày đại hội"}).status_code == 302
    term.refresh_from_db()
    assert term.congress_on == congress and term.congress_due_on == add_months(congress, 30)
    entry = AuditEntry.unscoped.get(action="committee.term_correct")
    assert entry.reason == "Ghi nhầm ngày đại hội"
