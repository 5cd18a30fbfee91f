"""No quota for a period that ended before the organisation was founded, as none for a period
that begins after it was dissolved: a past period is read in the tree as it stood at its end,
where such a quota has no place. The quotas page, the service and the import refuse it, naming
the founding date; the period the organisation was founded in takes a quota."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dangvien.admissions.models import AdmissionTarget
from dangvien.admissions.targets import services
from dangvien.core.errors import DomainError
from dangvien.core.roles import Role
from dangvien.organizations.models import OrgKind
from tests.admissions.test_import_targets import HEADERS
from tests.assessments.commands import run_import
from tests.factories import OrganizationFactory
from tests.spreadsheets import write_xlsx

pytestmark = pytest.mark.django_db
PAGE = reverse("admissions:targets")
FOUNDED = datetime.date(2025, 3, 1)
REFUSED_2024 = "Chi bộ Tổ Tin học được thành lập ngày 01/03/2025, sau năm 2024."


@pytest.fixture
def young(world):
    """A branch of the base organisation founded on 01/03/2025."""
    return OrganizationFactory(
        code="P.U1.01.05",
        name="Chi bộ Tổ Tin học",
        kind=OrgKind.SUB_BRANCH,
        parent=world.base,
        founded_on=FOUNDED,
    )


def stored() -> set[tuple]:
    return set(AdmissionTarget.unscoped.values_list("organization__code", "year", "term_start"))


def post(client, org, *, year: str = "", term: str = ""):
    version = client.get(PAGE).context["form"]["version"].value()
    data = {"organization_code": org.code, "year": year, "term": term, "quota": "3"}
    return client.post(PAGE, {**data, "version": version})


def test_the_quotas_page_refuses_a_period_ended_before_the_founding(world, young):
    client = world.client(Role.OFFICER)
    response = post(client, young, year="2024")
    assert response.status_code == 400
    assert response.context["form"].errors["organization_code"] == [REFUSED_2024]
    assert REFUSED_2024 in response.content.decode()
    response = post(client, young, term="2015-2020")
    assert response.context["form"].errors["organization_code"] == [
        "Chi bộ Tổ Tin học được thành lập ngày 01/03/2025, sau nhiệm kỳ 2015-2020."
    ]
    assert stored() == set()
    # The year it was founded in, and a term that reaches it, take a quota.
    assert post(client, young, year="2025").status_code == 302
    assert post(client, young, term="2020-2025").status_code == 302
    assert stored() == {(young.code, 2025, None), (young.code, None, 2020)}


def test_the_founding_day_is_within_the_period(world):
    """Founded on 31/12/2024, it existed in 2024; founded on 01/01/2025, it did not."""
    officer = world.users[Role.OFFICER]
    on_the_last_day = OrganizationFactory(
        code="P.U1.01.06",
        name="Chi bộ Tổ Sử",
        kind=OrgKind.SUB_BRANCH,
        parent=world.base,
        founded_on=datetime.date(2024, 12, 31),
    )
    services.set_target(officer, on_the_last_day, quota=1, year=2024)
    next_day = OrganizationFactory(
        code="P.U1.01.07",
        name="Chi bộ Tổ Địa",
        kind=OrgKind.SUB_BRANCH,
        parent=world.base,
        founded_on=datetime.date(2025, 1, 1),
    )
    with pytest.raises(
        DomainError, match="được thành lập ngày 01/01/2025, sau năm 2024"
    ) as refusal:
        services.set_target(officer, next_day, quota=1, year=2024)
    assert refusal.value.field == "organization_code"
    with pytest.raises(DomainError, match="sau nhiệm kỳ 2019-2024"):
        services.set_target(officer, next_day, quota=1, term=(2019, 2024))
    assert stored() == {(on_the_last_day.code, 2024, None)}


def test_the_import_refuses_it_on_the_periods_column(world, young, tmp_path):
    rows = [
        [young.code, 2024, None, 3],  # 2: before the founding
        [young.code, None, "2015-2020", 3],  # 3: so is the term
        [young.code, 2025, None, 3],  # 4: fine
        [world.base.code, 2024, None, 8],  # 5: fine
    ]
    status, out, err = run_import("targets", write_xlsx(tmp_path / "chi-tieu.xlsx", HEADERS, rows))
    assert status == 1
    assert "Tệp có 2 lỗi; không có dữ liệu nào được ghi." in err
    assert out.splitlines() == [
        f'dòng 2, cột "Năm": {REFUSED_2024}',
        'dòng 3, cột "Nhiệm kỳ": Chi bộ Tổ Tin học được thành lập ngày 01/03/2025, sau nhiệm kỳ '
        "2015-2020.",
    ]
    assert stored() == set()
    status, out, err = run_import("targets", write_xlsx(tmp_path / "sua.xlsx", HEADERS, rows[2:]))
    assert (status, err) == (0, "")
    assert stored() == {(young.code, 2025, None), (world.base.code, 2024, None)}


def test_the_import_page_names_the_refusal(world, young, tmp_path):
    client = world.client(Role.OFFICER)
    upload = reverse("core:import-upload", kwargs={"kind": "targets"})
    path = write_xlsx(tmp_path / "chi-tieu.xlsx", HEADERS, [[young.code, 2024, None, 3]])
    file = SimpleUploadedFile(path.name, path.read_bytes())
    html = client.post(upload, {"file": file}, follow=True).content.decode()
    assert "Tệp có 1 lỗi" in html
    assert REFUSED_2024 in html
    assert stored() == set()
