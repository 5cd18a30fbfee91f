"""A hand-tracked target's results: recorded with evidence from the target's page, each kept
(who, when), the latest by its day the current one, met compared with the target; refused on a
computed target, without evidence, or in the future."""

import datetime
from decimal import Decimal

import pytest

from dangvien.core.errors import DomainError
from dangvien.core.models import AuditEntry
from dangvien.core.roles import Role
from dangvien.programmes import services
from dangvien.programmes.models import ProgrammeTarget, TargetResult
from dangvien.programmes.targets import figures_of

pytestmark = pytest.mark.django_db
YEAR = 2024


def _target(world) -> ProgrammeTarget:
    programme = services.create_programme(None, world.upper, year=YEAR)
    services.set_target(None, programme, services.TargetInput("ket_nap", ">", 1))
    found, _ = services.set_target(
        None, programme, services.TargetInput("Số buổi sinh hoạt chuyên đề", "≥", 4)
    )
    return found


def test_results_are_kept_and_the_latest_by_day_counts(world):
    target = _target(world)
    client = world.client(Role.OFFICER)
    for actual, day, evidence in (
        ("3", "30/06/2024", "Báo cáo sơ kết 6 tháng"),
        ("5", "20/12/2024", "Báo cáo tổng kết năm"),
        ("2", "01/03/2024", "Báo cáo quý I"),  # recorded late: an earlier day
    ):
        response = client.post(
            f"/programmes/target/{target.pk}/result/",
            {"actual": actual, "result_on": day, "evidence": evidence},
        )
        assert response.status_code == 302
    results = list(TargetResult.unscoped.filter(target=target).order_by("recorded_at", "id"))
    assert [(r.actual, r.recorded_by.username) for r in results] == [
        (Decimal("3"), world.users[Role.OFFICER].username),
        (Decimal("5"), world.users[Role.OFFICER].username),
        (Decimal("2"), world.users[Role.OFFICER].username),
    ]
    hand = next(row for row in figures_of(target.programme) if not row.computed)
    assert (hand.actual, hand.met, hand.evidence) == (5, True, "Báo cáo tổng kết năm")
    assert hand.result_on == datetime.date(2024, 12, 20)
    page = client.get(f"/programmes/target/{target.pk}/").content.decode()
    assert "Báo cáo quý I" in page and "Báo cáo sơ kết 6 tháng" in page
    assert AuditEntry.unscoped.filter(action="programme_target.result").count() == 3


def test_refusals(world):
    target = _target(world)
    computed = target.programme.targets.get(indicator="ket_nap")
    with pytest.raises(DomainError, match="tính từ dữ liệu"):
        services.record_result(
            None, computed, actual=1, result_on=datetime.date(2024, 5, 1), evidence="x"
        )
    with pytest.raises(DomainError, match="căn cứ, minh chứng"):
        services.record_result(
            None, target, actual=1, result_on=datetime.date(2024, 5, 1), evidence=" "
        )
    with pytest.raises(DomainError, match="tương lai"):
        services.record_result(
            None, target, actual=1, result_on=datetime.date(2999, 1, 1), evidence="x"
        )
    response = world.client(Role.OFFICER).post(
        f"/programmes/target/{target.pk}/result/",
        {"actual": "-1", "result_on": "01/05/2024", "evidence": "x"},
    )
    assert response.status_code == 400
    assert "Giá trị phải là số không âm." in response.content.decode()
    assert TargetResult.unscoped.count() == 0


def test_editing_a_target_from_a_stale_page_is_refused(world):
    target = _target(world)
    client = world.client(Role.OFFICER)
    page = client.get(f"/programmes/target/{target.pk}/")
    token = page.context["edit_form"].initial["version"]
    first = client.post(
        f"/programmes/target/{target.pk}/", {"version": token, "comparator": ">", "value": "6"}
    )
    assert first.status_code == 302
    second = client.post(
        f"/programmes/target/{target.pk}/", {"version": token, "comparator": "=", "value": "7"}
    )
    assert second.status_code == 400
    target.refresh_from_db()
    assert (target.comparator, target.value) == (">", Decimal("6"))
