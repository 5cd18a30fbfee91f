"""A study plan adopted from the study page by the organisation's committee: the document
recorded once (the same number and date reused), its file kept and downloaded, refused to a
secretary; the plans binding an organisation include those of the organisations above it."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from dangvien.core.roles import Role
from dangvien.organizations.models import OrgKind
from dangvien.programmes.models import StudyDocument, StudyPlan
from tests.factories import PASSWORD, OrganizationFactory, user_with_role

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _post(client, code: str, **extra):
    data = {
        "kind": "nghi_quyet",
        "number": "21-NQ/TW",
        "issued_on": "16/06/2022",
        "title": "Về tăng cường củng cố, xây dựng tổ chức cơ sở đảng",
        "issuing_body": "Ban Chấp hành Trung ương",
        "deadline": "30/06/2024",
        "plan_number": "05-KH/ĐU",
        **extra,
    }
    return client.post(f"/programmes/study/org/{code}/", data)


def test_an_officer_adopts_a_plan_with_the_documents_file(world):
    client = world.client(Role.OFFICER)
    response = _post(client, "P.U1", file=SimpleUploadedFile("nq21.pdf", PDF))
    plan = StudyPlan.unscoped.get()
    assert response["Location"] == f"/programmes/study/{plan.pk}/"
    assert (plan.owner.code, plan.deadline, plan.number) == (
        "P.U1",
        datetime.date(2024, 6, 30),
        "05-KH/ĐU",
    )
    download = client.get(f"/programmes/study/{plan.pk}/document/")
    assert download.status_code == 200 and download.content == PDF
    assert "attachment" in download["Content-Disposition"]
    # The same document for a plan of the base committee: reused, not recorded twice.
    _post(client, "P.U1.01", deadline="15/07/2024")
    assert StudyDocument.objects.count() == 1 and StudyPlan.unscoped.count() == 2
    again = _post(client, "P.U1")
    assert again.status_code == 400 and "đã có kế hoạch học tập" in again.content.decode()


def test_a_file_that_is_no_document_is_refused(world):
    client = world.client(Role.OFFICER)
    response = _post(client, "P.U1", file=SimpleUploadedFile("nq21.pdf", b"MZ\x90\x00"))
    assert response.status_code == 400
    assert "Chỉ nhận tài liệu PDF, Word" in response.content.decode()
    assert StudyPlan.unscoped.count() == StudyDocument.objects.count() == 0


def test_a_secretary_reads_the_plans_above_but_cannot_adopt_one(world):
    _post(world.client(Role.OFFICER), "P.U1")
    client = world.client(Role.SECRETARY)
    page = client.get(f"/programmes/study/org/{world.branch.code}/")
    assert page.status_code == 200 and "21-NQ/TW" in page.content.decode()
    assert _post(client, world.branch.code).status_code == 403
    assert (
        world.client("outside_officer")
        .get(f"/programmes/study/{StudyPlan.unscoped.get().pk}/")
        .status_code
        == 404
    )


def test_a_reader_below_the_owner_sees_no_row_beyond_their_scope(world):
    """The province's plan: the upper committee's row lists the base organisations not done;
    a secretary of a branch below sees neither that row nor their names, an officer of a base
    organisation sees their own base organisation's state."""
    second = OrganizationFactory(
        code="P.U1.02",
        name="Đảng bộ Trường Mầm non",
        kind=OrgKind.BASE_COMMITTEE,
        parent=world.upper,
    )
    _post(world.client(Role.ADMIN), "P")
    plan = StudyPlan.unscoped.get()
    whole = world.client(Role.ADMIN).get(f"/programmes/study/{plan.pk}/").content.decode()
    assert second.name in whole  # not done: named to the province's readers
    secretary = world.client(Role.SECRETARY).get(f"/programmes/study/{plan.pk}/")
    assert secretary.status_code == 200 and second.name not in secretary.content.decode()
    reader = Client()
    user = user_with_role(Role.OFFICER, world.base, "canbocoso")
    assert reader.login(username=user.username, password=PASSWORD)
    page = reader.get(f"/programmes/study/{plan.pk}/").content.decode()
    assert second.name not in page
    assert f"{world.base.name}: <strong>chưa học tập</strong>" in page


def test_a_document_named_again_is_the_same_document(world):
    """The catalogue's document of the same number and date: a different title, or a second
    file, or a file added by an officer who did not record it, is refused, never dropped."""
    client = world.client(Role.OFFICER)
    _post(client, "P.U1", file=SimpleUploadedFile("nq21.pdf", PDF))
    other_title = _post(client, "P.U1.01", title="Một trích yếu khác", deadline="15/07/2024")
    assert other_title.status_code == 400 and "đã có trong danh mục" in other_title.content.decode()
    second_file = _post(
        client, "P.U1.01", deadline="15/07/2024", file=SimpleUploadedFile("khac.pdf", PDF)
    )
    assert (
        second_file.status_code == 400 and "tệp mới chưa được lưu" in second_file.content.decode()
    )
    assert StudyPlan.unscoped.count() == 1
    assert StudyDocument.objects.get().file_name == "nq21.pdf"
