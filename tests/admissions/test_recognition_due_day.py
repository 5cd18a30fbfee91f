"""Recognition on the boundary of probation: the votes and the decision are refused the day
before the 12 months end and accepted on the day they end (Điều lệ Đảng, Điều 5)."""

import datetime

from dangvien.core.roles import Role
from dangvien.core.rules import add_months
from dangvien.members.models import Status
from tests.admissions.probation_steps import (
    complete_review,
    decide,
    fresh,
    months_ago,
    probationary,
    record_step,
)

ONE_DAY = datetime.timedelta(days=1)


def test_refused_the_day_before_the_due_day_and_accepted_on_it(world):
    admitted = months_ago(13)
    due = add_months(admitted, 12)
    member = probationary(world, admitted, full_name="Đỗ Văn Biên")
    secretary, officer = world.client(Role.SECRETARY), world.client(Role.OFFICER)

    page = record_step(
        secretary, member, "branch_vote", due - ONE_DAY, votes_for=6, votes_total=6
    ).content.decode()
    assert f"Chưa hết thời gian dự bị (đến {due:%d/%m/%Y})" in page
    page = decide(officer, member, due - ONE_DAY).content.decode()
    assert f"sớm nhất được công nhận chính thức từ {due:%d/%m/%Y}." in page
    assert fresh(member).status == Status.PROBATIONARY

    complete_review(world, member, due)
    page = decide(officer, member, due).content.decode()
    assert f"là đảng viên chính thức từ {due:%d/%m/%Y}" in page
    member = fresh(member)
    assert (member.status, member.official_on) == (Status.OFFICIAL, due)
