"""The demo's awards, so the pages are filled: the province's certificate of merit to a branch
excellent five years running (SH.CQD.01.02, assessments.demo's streak), decided two months ago,
and the ward's proposal, in progress, of its branch and members excellent five years running
up to last year (built from the grades through the services, as an officer would)."""

import datetime

from dangvien.accounts.models import User
from dangvien.awards import selectors, services
from dangvien.awards.models import AwardForm, AwardLevel, Basis
from dangvien.organizations.models import Organization

OFFICER = "tinhuy"  # the province officer of accounts.demo
AWARDED_BRANCH = "SH.CQD.01.02"
PROPOSING = "SH.HB"  # the ward proposes its streak branch SH.HB.01.01 and members
PROPOSED_AT_MOST = 6


def load(today: datetime.date) -> None:
    officer = User.objects.get(username=OFFICER)
    year = today.year - 1
    years = selectors.streak_years(year)
    branch = Organization.unscoped.get(code=AWARDED_BRANCH)
    decided = today - datetime.timedelta(days=60)
    services.record_award(
        officer,
        branch,
        services.AwardData(
            form=AwardForm.GIAY_KHEN,
            level=AwardLevel.TINH,
            title=(
                f"Tổ chức cơ sở đảng hoàn thành xuất sắc nhiệm vụ tiêu biểu {years} năm liền "
                f"({year - years + 1}–{year})"
            ),
            year_from=year - years + 1,
            year_to=year,
            decision_number=f"88-QĐ/TU-{today.year}",
            decided_on=max(decided, datetime.date(year + 1, 1, 1)),
            deciding_body="Ban Thường vụ Tỉnh ủy Sơn Hà",
            reason="Năm năm liền hoàn thành xuất sắc nhiệm vụ",
        ),
    )
    ward = Organization.unscoped.get(code=PROPOSING)
    found = selectors.candidates(officer, ward, year, Basis.STREAK)
    keys = [c.key for c in found.organizations + found.members if c.eligible]
    if keys:
        services.create_proposal(
            officer,
            ward,
            year,
            Basis.STREAK,
            services.ProposalPlan(
                form=AwardForm.GIAY_KHEN,
                level=AwardLevel.CAP_TREN_CO_SO,
                title=f"Hoàn thành xuất sắc nhiệm vụ tiêu biểu {years} năm liền "
                f"({year - years + 1}–{year})",
                proposed_on=today,
                number=f"15-TTr/ĐU-{today.year}",
            ),
            keys[:PROPOSED_AT_MOST],
        )
