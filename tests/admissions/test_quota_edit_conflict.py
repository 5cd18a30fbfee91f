"""Two officers on the quotas page set or remove one quota: the first wins, the second is refused
with the change named, and nothing is overwritten."""

import pytest
from django.urls import reverse

from dangvien.admissions.models import AdmissionTarget
from dangvien.admissions.targets import services
from dangvien.core.models import AuditEntry
from dangvien.core.roles import Role

pytestmark = pytest.mark.django_db

PAGE = reverse("admissions:targets")


def read(client) -> str:
    return client.get(PAGE).context["form"]["version"].value()


def quota_history(org) -> list[dict]:
    entries = AuditEntry.unscoped.filter(action="target.set", target_id=org.pk).order_by("id")
    return [entry.changes for entry in entries]


@pytest.fixture
def two_officers(world):
    services.set_target(world.users[Role.ADMIN], world.base, quota=8, year=2024)
    first, second = world.client(Role.OFFICER), world.client(Role.ADMIN)
    return first, read(first), second, read(second)


def test_the_second_save_is_refused_with_the_first_change_named(world, two_officers):
    first, first_version, second, second_version = two_officers
    data = {"organization_code": world.base.code, "year": "2024", "term": ""}
    assert first.post(PAGE, {**data, "quota": "6", "version": first_version}).status_code == 302

    response = second.post(PAGE, {**data, "quota": "10", "version": second_version})
    page = response.content.decode()
    assert response.status_code == 400  # refused, said at the top, the input kept
    assert 'id="refused-banner"' in page
    assert "Chỉ tiêu kết nạp năm 2024 của Đảng bộ Trường Tiểu học Hòa Bình đã được" in page
    assert "Chỉ tiêu kết nạp năm 2024: 8 → 6" in page and "sau khi bạn mở trang" in page
    assert world.users[Role.OFFICER].full_name in page
    assert AdmissionTarget.unscoped.get().quota == 6
    assert quota_history(world.base) == [{"quota_2024": [None, 8]}, {"quota_2024": [8, 6]}]

    # The refused form now carries what the user has seen: saving again applies knowingly.
    again = {name: value for name, value in response.context["form"].data.items()}
    assert second.post(PAGE, again).status_code == 302
    assert AdmissionTarget.unscoped.get().quota == 10


def test_a_change_to_another_period_does_not_refuse(world, two_officers):
    first, first_version, second, second_version = two_officers
    data = {"organization_code": world.base.code, "term": ""}
    post = {**data, "year": "2025", "quota": "3", "version": first_version}
    assert first.post(PAGE, post).status_code == 302
    post = {**data, "year": "2024", "quota": "9", "version": second_version}
    assert second.post(PAGE, post).status_code == 302
    assert sorted(AdmissionTarget.unscoped.values_list("year", "quota")) == [(2024, 9), (2025, 3)]


def test_removing_a_quota_changed_since_is_refused(world, two_officers):
    first, first_version, second, second_version = two_officers
    data = {"organization_code": world.base.code, "year": "2024", "term": ""}
    assert first.post(PAGE, {**data, "quota": "6", "version": first_version}).status_code == 302
    target = AdmissionTarget.unscoped.get()
    remove = reverse("admissions:target-remove", kwargs={"pk": target.pk})
    page = second.post(remove, {"version": second_version}, follow=True).content.decode()
    assert "Chỉ tiêu kết nạp năm 2024: 8 → 6" in page
    assert AdmissionTarget.unscoped.get().quota == 6
    assert quota_history(world.base)[-1] == {"quota_2024": [8, 6]}


def test_two_officers_setting_a_new_quota_at_once(world):
    first, second = world.client(Role.OFFICER), world.client(Role.ADMIN)
    first_version, second_version = read(first), read(second)
    data = {"organization_code": world.upper.code, "year": "", "term": "2020-2025"}
    assert first.post(PAGE, {**data, "quota": "5", "version": first_version}).status_code == 302
    page = second.post(PAGE, {**data, "quota": "7", "version": second_version}).content
    assert "Chỉ tiêu kết nạp nhiệm kỳ 2020-2025: — → 5" in page.decode()
    assert AdmissionTarget.unscoped.get().quota == 5


def test_a_post_without_the_version_is_refused(world):
    client = world.client(Role.OFFICER)
    data = {"organization_code": world.base.code, "year": "2024", "term": "", "quota": "6"}
    page = client.post(PAGE, data).content.decode()
    assert "Trang bạn dùng đã cũ" in page and "tải lại trang" in page
    assert not AdmissionTarget.unscoped.exists()
