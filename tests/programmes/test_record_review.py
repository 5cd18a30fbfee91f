"""Reviews (sơ kết 6 tháng, tổng kết năm): recorded on a confirmation page, they freeze each
target's actual and met as of their day; later records change the live values, never a review;
a figure is corrected only with a reason, kept in the history."""

import datetime
from decimal import Decimal

import pytest

from dangvien.core.errors import DomainError
from dangvien.core.models import AuditEntry
from dangvien.core.roles import Role
from dangvien.programmes import reviews, services
from dangvien.programmes.models import ProgrammeReview, ReviewFigure, ReviewKind
from dangvien.programmes.targets import figures_of
from tests.programmes.worlds import YEAR, admitted, build_2024

pytestmark = pytest.mark.django_db


def _programme(world):
    programme = services.create_programme(None, world.upper, year=YEAR)
    services.set_target(None, programme, services.TargetInput("ket_nap", "≥", 2))
    hand, _ = services.set_target(None, programme, services.TargetInput("Số buổi", "≥", 4))
    services.record_result(
        None, hand, actual=3, result_on=datetime.date(YEAR, 6, 20), evidence="Báo cáo 6 tháng"
    )
    services.record_result(
        None, hand, actual=5, result_on=datetime.date(YEAR, 12, 1), evidence="Báo cáo năm"
    )
    return programme


def _figures(review) -> list:
    return [(f.label, f.actual, f.met) for f in review.figures.order_by("target__position")]


def test_a_mid_year_review_freezes_the_figures_as_of_its_day(world):
    build_2024(world)  # admitted 01/05 and 31/12
    programme = _programme(world)
    client = world.client(Role.OFFICER)
    page = client.get(f"/programmes/{programme.pk}/review/")
    assert page.status_code == 200 and "không tính lại về sau" in page.content.decode()
    response = client.post(
        f"/programmes/{programme.pk}/review/",
        {"kind": ReviewKind.MID_YEAR, "year": YEAR, "reviewed_on": "30/06/2024", "note": "Tốt"},
    )
    assert response.status_code == 302
    review = ProgrammeReview.unscoped.get()
    assert _figures(review) == [
        ("Số đảng viên kết nạp", Decimal("1"), False),
        ("Số buổi", Decimal("3"), False),
    ]
    # Live: the whole year.
    live = {row.key: (row.actual, row.met) for row in figures_of(programme)}
    assert live == {"ket_nap": (2, True), "Số buổi": (5, True)}
    # A later admission in the first half changes the live value, not the review.
    admitted(world.branch, datetime.date(YEAR, 2, 1))
    assert figures_of(programme)[0].actual == 3
    assert _figures(ProgrammeReview.unscoped.get()) == _figures(review)
    text = client.get(f"/programmes/{programme.pk}/").content.decode()
    assert "Sơ kết 6 tháng năm 2024 (ngày 30/06/2024): đạt 0/2 chỉ tiêu" in text


def test_a_review_is_recorded_once_and_not_in_the_future(world):
    programme = _programme(world)
    reviews.record_review(
        None,
        programme,
        kind=ReviewKind.YEAR_END,
        year=YEAR,
        reviewed_on=datetime.date(2024, 12, 25),
    )
    with pytest.raises(DomainError, match="Đã có tổng kết năm năm 2024"):
        reviews.record_review(
            None,
            programme,
            kind=ReviewKind.YEAR_END,
            year=YEAR,
            reviewed_on=datetime.date(2025, 1, 5),
        )
    with pytest.raises(DomainError, match="tương lai"):
        reviews.record_review(
            None,
            programme,
            kind=ReviewKind.MID_YEAR,
            year=YEAR,
            reviewed_on=datetime.date(2999, 1, 1),
        )
    with pytest.raises(DomainError, match="nhiệm kỳ"):
        reviews.record_review(
            None,
            programme,
            kind=ReviewKind.TERM_END,
            year=YEAR,
            reviewed_on=datetime.date(2024, 12, 30),
        )


def test_a_figure_is_corrected_only_with_a_reason(world):
    programme = _programme(world)
    review = reviews.record_review(
        None,
        programme,
        kind=ReviewKind.YEAR_END,
        year=YEAR,
        reviewed_on=datetime.date(2024, 12, 25),
    )
    figure = review.figures.get(label="Số buổi")
    assert (figure.actual, figure.met) == (Decimal("5"), True)
    client = world.client(Role.OFFICER)
    url = f"/programmes/figure/{figure.pk}/correct/"
    token = client.get(url).context["form"].initial["version"]
    refused = client.post(url, {"version": token, "actual": "3", "reason": ""})
    assert refused.status_code == 400
    done = client.post(url, {"version": token, "actual": "3", "reason": "Báo cáo cộng trùng"})
    assert done.status_code == 302
    figure = ReviewFigure.unscoped.get(pk=figure.pk)
    assert (figure.actual, figure.met, figure.corrected_reason) == (
        Decimal("3"),
        False,
        "Báo cáo cộng trùng",
    )
    entry = AuditEntry.unscoped.get(action="programme_review.correct")
    assert (entry.changes, entry.reason) == ({"actual": ["5.00", "3.00"]}, "Báo cáo cộng trùng")


def test_a_year_end_review_held_in_january_counts_the_year_only(world):
    """Tổng kết năm 2024 held on 15/01/2025 counts 2024: an admission of 10/01/2025 is not
    in it; a review of 2024 dated 2026 is refused."""
    build_2024(world)  # admitted 01/05 and 31/12/2024
    programme = _programme(world)
    admitted(world.branch, datetime.date(YEAR + 1, 1, 10))
    review = reviews.record_review(
        None,
        programme,
        kind=ReviewKind.YEAR_END,
        year=YEAR,
        reviewed_on=datetime.date(YEAR + 1, 1, 15),
    )
    assert _figures(review)[0] == ("Số đảng viên kết nạp", Decimal("2"), True)
    with pytest.raises(DomainError, match="chậm nhất trong năm 2025"):
        reviews.record_review(
            None,
            programme,
            kind=ReviewKind.MID_YEAR,
            year=YEAR,
            reviewed_on=datetime.date(YEAR + 2, 1, 15),
        )
