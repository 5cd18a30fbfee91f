"""The programme pages: the list of a subtree's programmes, a new programme and a new target by
the committee's officer, the programme measured live with its chart and downloads; a secretary
reads but cannot change a committee's programme, a user outside the subtree gets 404."""

import pytest

from dangvien.core.roles import Role
from dangvien.programmes import services
from dangvien.programmes.models import ActionProgramme, ProgrammeTarget
from tests.programmes.worlds import YEAR, build_2024

pytestmark = pytest.mark.django_db


def _programme(world):
    programme = services.create_programme(None, world.upper, year=YEAR, title="Chương trình 2024")
    services.set_target(None, programme, services.TargetInput("dang_vien_tot_tro_len", ">", 60))
    services.set_target(None, programme, services.TargetInput("ket_nap", "≥", 350))
    return programme


def test_an_officer_creates_a_programme_and_its_targets(world):
    client = world.client(Role.OFFICER)
    page = client.get("/programmes/", follow=True)
    assert page.status_code == 200 and "Lập chương trình hành động" in page.content.decode()
    response = client.post(
        "/programmes/org/P.U1/",
        {"period": "2025-2030", "title": "Chương trình hành động nhiệm kỳ", "number": "01-CTr/ĐU"},
    )
    programme = ActionProgramme.unscoped.get()
    assert response["Location"] == f"/programmes/{programme.pk}/"
    assert (programme.term_start, programme.term_end, programme.owner.code) == (2025, 2030, "P.U1")
    client.post(
        f"/programmes/{programme.pk}/", {"indicator": "ket_nap", "comparator": "≥", "value": "350"}
    )
    client.post(
        f"/programmes/{programme.pk}/",
        {"label": "Số cơ sở có chi bộ", "comparator": ">", "value": "12,5"},
    )
    assert [(t.key, t.comparator, str(t.value)) for t in ProgrammeTarget.unscoped.all()] == [
        ("ket_nap", "≥", "350.00"),
        ("Số cơ sở có chi bộ", ">", "12.50"),
    ]
    again = client.post("/programmes/org/P.U1/", {"period": "2025-2030", "title": "Lần hai"})
    assert again.status_code == 400
    assert "đã có chương trình hành động nhiệm kỳ 2025-2030" in again.content.decode()


def test_the_programme_page_shows_each_target_measured_with_a_chart(world):
    build_2024(world)
    programme = _programme(world)
    page = world.client(Role.OFFICER).get(f"/programmes/{programme.pk}/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "66,67%" in text and "Đạt" in text and "Không đạt" in text
    assert "data:image/svg+xml;base64," in text
    assert "Ghi sơ kết, tổng kết" in text
    xlsx = world.client(Role.OFFICER).get(f"/programmes/{programme.pk}.xlsx")
    assert xlsx.status_code == 200 and xlsx["Content-Type"].startswith("application/vnd.openxml")


def test_the_programmes_of_the_subtree_are_listed(world):
    _programme(world)
    services.create_programme(None, world.base, year=YEAR, title="Chương trình cơ sở")
    services.create_programme(None, world.outside_upper, year=YEAR, title="Chương trình ngoài")
    text = world.client(Role.OFFICER).get("/programmes/org/P.U1/").content.decode()
    assert "Chương trình 2024" in text and "Chương trình cơ sở" in text
    assert "Chương trình ngoài" not in text
    text = world.client(Role.ADMIN).get("/programmes/org/P/").content.decode()
    assert "Chương trình cơ sở" in text and "Chương trình ngoài" in text


def test_a_secretary_cannot_change_a_programme(world):
    """The secretary of a branch sees the branch's programme, read only, and not the
    committee's above it (outside their subtree)."""
    committee = _programme(world)
    own = services.create_programme(None, world.branch, year=YEAR, title="Chương trình chi bộ")
    client = world.client(Role.SECRETARY)
    assert client.get(f"/programmes/{committee.pk}/").status_code == 404
    page = client.get(f"/programmes/{own.pk}/")
    assert page.status_code == 200
    assert "Thêm chỉ tiêu" not in page.content.decode()
    refused = client.post(
        f"/programmes/{own.pk}/", {"indicator": "ket_nap", "comparator": ">", "value": "1"}
    )
    assert refused.status_code == 403
    assert client.get(f"/programmes/{own.pk}/review/").status_code == 403
    new = client.post(f"/programmes/org/{world.branch.code}/", {"period": "2025", "title": "X"})
    assert new.status_code == 403
    assert own.targets.count() == 0
    assert ActionProgramme.unscoped.count() == 2


def test_a_user_outside_the_subtree_gets_404(world):
    programme = _programme(world)
    client = world.client("outside_officer")
    assert client.get(f"/programmes/{programme.pk}/").status_code == 404
    assert client.get(f"/programmes/{programme.pk}.pdf").status_code == 404
    target = programme.targets.first()
    assert client.get(f"/programmes/target/{target.pk}/").status_code == 404
    assert client.get("/programmes/org/P.U1/").status_code == 404
