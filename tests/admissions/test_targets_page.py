"""The quotas page: officers set, change and remove quotas; everyone in scope sees them with the
members admitted in the period."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dangvien.admissions.models import AdmissionTarget
from dangvien.admissions.targets import services
from dangvien.admissions.targets.selectors import QuotaProgress
from dangvien.core.errors import DomainError
from dangvien.core.models import AuditEntry
from dangvien.core.roles import Role
from dangvien.members.models import Status
from tests.conftest import OUTSIDE_MARK
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db

PAGE = reverse("admissions:targets")


def admitted(branch, *days: datetime.date) -> None:
    for day in days:
        MemberFactory(branch=branch, admitted_on=day, official_on=None, status=Status.PROBATIONARY)


def stored() -> dict[tuple, int]:
    rows = AdmissionTarget.unscoped.values_list(
        "organization__code", "year", "term_start", "term_end", "quota"
    )
    return {(code, year, start, end): quota for code, year, start, end, quota in rows}


def history(org) -> list[dict]:
    entries = AuditEntry.unscoped.filter(
        action="target.set", target_type="organizations.organization", target_id=org.pk
    ).order_by("id")
    return [entry.changes for entry in entries]


def read(client) -> str:
    """The version the quotas page hands out (its form and each row's removal carry it)."""
    return client.get(PAGE).context["form"]["version"].value()


def row_text(html: str, target: AdmissionTarget) -> str:
    start = html.index(f'id="target-{target.pk}"')
    return html[start : html.index("</tr>", start)]


def test_an_officer_sets_changes_and_removes_a_quota_and_the_history_keeps_each_value(world):
    client = world.client(Role.OFFICER)
    data = {"organization_code": world.base.code, "year": "2024", "term": "", "quota": "8"}
    response = client.post(PAGE, {**data, "version": read(client)}, follow=True)
    assert "Đã đặt chỉ tiêu kết nạp năm 2024 của Đảng bộ Trường Tiểu học Hòa Bình: 8." in (
        response.content.decode()
    )
    assert stored() == {(world.base.code, 2024, None, None): 8}

    client.post(PAGE, {**data, "quota": "6", "version": read(client)})
    assert stored() == {(world.base.code, 2024, None, None): 6}

    target = AdmissionTarget.unscoped.get()
    remove = reverse("admissions:target-remove", kwargs={"pk": target.pk})
    response = client.post(remove, {"next": f"{PAGE}?period=2024", "version": read(client)})
    assert response.status_code == 302 and response["Location"] == f"{PAGE}?period=2024"
    assert stored() == {}
    assert history(world.base) == [
        {"quota_2024": [None, 8]},
        {"quota_2024": [8, 6]},
        {"quota_2024": [6, None]},
    ]
    assert "Chỉ tiêu kết nạp năm 2024" in client.get("/history/").content.decode()


def test_term_quotas_and_the_admitted_count_of_each_period(world):
    client = world.client(Role.OFFICER)
    post = {"organization_code": world.upper.code, "year": "", "term": "2020 – 2025", "quota": "5"}
    assert client.post(PAGE, {**post, "version": read(client)}).status_code == 302
    post = {"organization_code": world.base.code, "year": "2024", "quota": "8"}
    assert client.post(PAGE, {**post, "version": read(client)}).status_code == 302
    term = AdmissionTarget.unscoped.get(term_start=2020, term_end=2025)
    year = AdmissionTarget.unscoped.get(year=2024)
    admitted(world.branch, datetime.date(2020, 1, 1), datetime.date(2024, 5, 19))
    admitted(world.other_branch, datetime.date(2024, 12, 31), datetime.date(2025, 12, 31))
    admitted(world.other_branch, datetime.date(2019, 12, 31), datetime.date(2026, 1, 1))
    admitted(world.outside_branch, datetime.date(2024, 6, 1))  # outside P.U1

    html = client.get(PAGE).content.decode()
    assert "Nhiệm kỳ 2020-2025" in row_text(html, term)
    # 4 admitted from 2020 to 2025 of 5: 80 %; 2 admitted in 2024 of 8: 25 %
    admitted_list = reverse("admissions:admitted")
    term_list = f"{admitted_list}?org={world.upper.code}&amp;from=2020&amp;to=2025"
    assert f'<td class="num"><a href="{term_list}">4</a></td>' in row_text(html, term)
    assert "80%" in row_text(html, term)
    year_list = f"{admitted_list}?org={world.base.code}&amp;year=2024"
    assert f'<td class="num"><a href="{year_list}">2</a></td>' in row_text(html, year)
    assert "25%" in row_text(html, year)
    assert OUTSIDE_MARK not in html

    admitted(world.branch, datetime.date(2024, 2, 3))
    html = client.get(PAGE).content.decode()
    assert "37,50%" in row_text(html, year)  # 3 of 8, with the Vietnamese decimal comma

    filtered = client.get(PAGE, {"period": "2020-2025"}).content.decode()
    assert f'id="target-{term.pk}"' in filtered and f'id="target-{year.pk}"' not in filtered
    filtered = client.get(PAGE, {"org": world.base.code}).content.decode()
    assert f'id="target-{year.pk}"' in filtered and f'id="target-{term.pk}"' not in filtered
    filtered = client.get(PAGE, {"period": "2020/2025"}).content.decode()
    assert "không phải nhiệm kỳ dạng năm đầu-năm cuối" in filtered


def test_the_percent_follows_the_report_rounding():
    assert QuotaProgress(240, 243).percent == 101.25
    assert QuotaProgress(500, 462).percent == 92.4
    assert QuotaProgress(0, 3).percent is None
    assert QuotaProgress(None, 3).percent is None


def test_a_year_or_a_term_but_not_both(world):
    client = world.client(Role.OFFICER)
    base = {"organization_code": world.base.code, "quota": "8"}
    html = client.post(PAGE, {**base, "year": "2024", "term": "2020-2025"}).content.decode()
    assert "Ghi một năm hoặc một nhiệm kỳ (ví dụ 2020-2025), không ghi cả hai." in html
    html = client.post(PAGE, base).content.decode()
    assert "Ghi một năm hoặc một nhiệm kỳ (ví dụ 2020-2025), không ghi cả hai." in html
    html = client.post(PAGE, {**base, "term": "2025-2020"}).content.decode()
    assert "Năm đầu nhiệm kỳ (2025) phải trước năm cuối (2020)." in html
    html = client.post(PAGE, {**base, "year": "2024", "quota": "-1"}).content.decode()
    assert "Chỉ tiêu kết nạp" in html and 'class="error"' in html
    assert stored() == {}


def test_an_inspector_sees_quotas_but_cannot_change_them(world):
    target = AdmissionTarget.unscoped.create(
        organization=world.base, org_path=world.base.path, year=2024, quota=8
    )
    client = world.client(Role.INSPECTOR)
    html = client.get(PAGE).content.decode()
    assert f'id="target-{target.pk}"' in html
    assert "Đặt chỉ tiêu kết nạp" not in html and "Xóa" not in row_text(html, target)

    data = {"organization_code": world.base.code, "year": "2024", "quota": "20"}
    assert client.post(PAGE, data).status_code == 403
    remove = reverse("admissions:target-remove", kwargs={"pk": target.pk})
    assert client.post(remove).status_code == 404
    assert stored() == {(world.base.code, 2024, None, None): 8}
    assert world.client(Role.SECRETARY).post(PAGE, data).status_code == 403
    assert world.client(Role.MEMBER).get(PAGE).status_code == 403
    assert not AuditEntry.unscoped.filter(action="target.set").exists()


def test_an_organisation_outside_the_scope_is_refused(world):
    outside = AdmissionTarget.unscoped.create(
        organization=world.outside_base, org_path=world.outside_base.path, year=2024, quota=9
    )
    client = world.client(Role.OFFICER)
    data = {"organization_code": world.outside_base.code, "year": "2025", "quota": "20"}
    html = client.post(PAGE, data).content.decode()
    assert "Không tìm thấy tổ chức có mã này trong phạm vi quản lý của bạn." in html
    remove = reverse("admissions:target-remove", kwargs={"pk": outside.pk})
    assert client.post(remove).status_code == 404
    assert OUTSIDE_MARK not in client.get(PAGE).content.decode()
    assert stored() == {(world.outside_base.code, 2024, None, None): 9}
    assert not AuditEntry.unscoped.filter(action="target.set").exists()


def test_the_page_counts_admissions_in_one_query_whatever_the_number_of_quotas(world):
    client = world.client(Role.OFFICER)
    officer = world.users[Role.OFFICER]
    services.set_target(officer, world.base, quota=8, year=2024)
    client.get(PAGE)  # a first request does the session's once-a-minute work (last seen, menu)
    with CaptureQueriesContext(connection) as before:
        client.get(PAGE)
    for org in (world.upper, world.branch, world.other_branch):
        services.set_target(officer, org, quota=8, year=2024)
        services.set_target(officer, org, quota=30, term=(2020, 2025))
    admitted(world.branch, datetime.date(2024, 3, 1), datetime.date(2021, 3, 1))
    with CaptureQueriesContext(connection) as after:
        html = client.get(PAGE).content.decode()
    assert len(after) == len(before)
    assert html.count('<tr id="target-') == 7


def test_the_service_owns_the_quota_rules(world):
    """Whoever sets a quota (page, import, another caller): no period after the dissolution,
    no absurd number, one year or one term."""
    officer = world.users[Role.OFFICER]
    world.other_branch.ended_on = datetime.date(2020, 6, 30)
    world.other_branch.save(update_fields=["ended_on"])
    with pytest.raises(DomainError, match="đã giải thể ngày 30/06/2020, trước năm 2021"):
        services.set_target(officer, world.other_branch, quota=2, year=2021)
    # The year it was dissolved in still takes a quota.
    services.set_target(officer, world.other_branch, quota=2, year=2020)
    with pytest.raises(DomainError, match=r"không quá 10\.000\.000"):
        services.set_target(officer, world.base, quota=10_000_001, year=2024)
    with pytest.raises(DomainError, match="không ghi cả hai"):
        services.set_target(officer, world.base, quota=3, year=2024, term=(2020, 2025))


def test_removing_a_quota_asks_for_confirmation_and_keeps_the_reason(world):
    """A quota was deleted at one click (issue 12): the list links to a page that says what
    the removal changes; the reason given stays in the history."""
    client = world.client(Role.OFFICER)
    data = {"organization_code": world.base.code, "year": "2024", "term": "", "quota": "8"}
    client.post(PAGE, {**data, "version": read(client)})
    target = AdmissionTarget.unscoped.get()
    remove = reverse("admissions:target-remove", kwargs={"pk": target.pk})
    row = row_text_html(client.get(PAGE).content.decode(), target)
    assert f'href="{remove}?next=' in row
    assert '<progress class="bar" value="0" max="8">' in row  # admitted against the quota
    page = client.get(remove).content.decode()
    assert f"Xóa chỉ tiêu kết nạp năm 2024 của {world.base.name}" in page
    assert "Giá trị đã đặt vẫn được giữ trong lịch sử" in page
    assert stored() == {(world.base.code, 2024, None, None): 8}

    version = client.get(remove).context["form"]["version"].value()
    reason = "Đặt nhầm năm: chỉ tiêu thuộc năm 2025."
    assert client.post(remove, {"version": version, "reason": reason}).status_code == 302
    assert stored() == {}
    entry = AuditEntry.unscoped.filter(action="target.set").order_by("id").last()
    assert entry.reason == reason


def row_text_html(html: str, target) -> str:
    return html.split(f'id="target-{target.pk}"')[1].split("</tr>")[0]


def test_a_removal_refused_for_a_quota_changed_since_can_be_confirmed_again(world):
    """The confirmation opened before another officer changed the quota is refused once, then
    shows the quota as it is now and carries its version: confirming again removes it."""
    client, other = world.client(Role.OFFICER), world.client(Role.ADMIN)
    data = {"organization_code": world.base.code, "year": "2024", "term": ""}
    client.post(PAGE, {**data, "quota": "8", "version": read(client)})
    target = AdmissionTarget.unscoped.get()
    remove = reverse("admissions:target-remove", kwargs={"pk": target.pk})
    version = client.get(remove).context["form"]["version"].value()
    other.post(PAGE, {**data, "quota": "6", "version": read(other)})

    refused = client.post(remove, {"version": version, "reason": "Nhầm"})
    assert refused.status_code == 400
    page = refused.content.decode()
    assert "8 → 6" in page and "(6)" in page
    assert stored() == {(world.base.code, 2024, None, None): 6}
    again = dict(refused.context["form"].data.items())
    assert client.post(remove, again).status_code == 302
    assert stored() == {}
