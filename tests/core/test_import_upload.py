"""Importing organisations in the web UI: upload, preview with errors, confirm."""

import io

from openpyxl import load_workbook

from dangvien.core.errors import OUTSIDE_CONFLICT
from dangvien.core.models import ImportUpload
from dangvien.core.roles import Role
from dangvien.organizations.models import Organization
from tests.spreadsheets import ORG_CONTRACT_HEADERS, ORG_HEADERS, write_xlsx


def upload(client, path):
    with path.open("rb") as handle:
        return client.post("/imports/orgs/", {"file": handle})


def test_preview_lists_errors_and_writes_nothing(world, tmp_path):
    client = world.client(Role.OFFICER)
    rows = [
        ["P.U1.09", "Đảng bộ Mới", "Đảng bộ cơ sở", "P.U1"],
        ["P.U1.09.01", "Chi bộ Mới", "Chi bộ ảo", "P.U1.09"],
    ]
    response = upload(client, write_xlsx(tmp_path / "orgs.xlsx", ORG_HEADERS, rows))
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Tệp có 1 lỗi; không có dữ liệu nào được ghi." in page
    assert "<td>3</td><td>Loại tổ chức</td>" in page
    assert "Xác nhận nhập" not in page
    assert not Organization.unscoped.filter(code="P.U1.09").exists()


def test_valid_file_is_previewed_then_imported_on_confirmation(world, tmp_path):
    client = world.client(Role.OFFICER)
    rows = [
        ["P.U1.09", "Đảng bộ Mới", "Đảng bộ cơ sở", "P.U1"],
        ["P.U1.09.01", "Chi bộ Mới", "Chi bộ trực thuộc", "P.U1.09"],
        [world.branch.code, world.branch.name, "Chi bộ trực thuộc", world.base.code],
    ]
    response = upload(client, write_xlsx(tmp_path / "orgs.xlsx", ORG_HEADERS, rows))
    preview_url = response["Location"]
    page = client.get(preview_url).content.decode()
    assert "tạo mới 2</strong>" in page and "cập nhật 0</strong>" in page
    assert not Organization.unscoped.filter(code="P.U1.09").exists()

    response = client.post(f"{preview_url}confirm/", follow=True)
    assert "Đã nhập tổ chức đảng: tạo mới 2, cập nhật 0, không thay đổi 1." in (
        response.content.decode()
    )
    assert Organization.unscoped.get(code="P.U1.09.01").parent.code == "P.U1.09"
    assert ImportUpload.objects.get().status == ImportUpload.Status.IMPORTED


def test_officer_cannot_import_into_another_subtree(world, tmp_path):
    client = world.client(Role.OFFICER)
    rows = [
        ["X.1", "Chi bộ lẻn vào", "Chi bộ trực thuộc", world.outside_base.code],
        [world.outside_branch.code, "Đổi tên trộm", "Chi bộ trực thuộc", world.outside_base.code],
    ]
    response = upload(client, write_xlsx(tmp_path / "orgs.xlsx", ORG_HEADERS, rows))
    page = client.get(response["Location"]).content.decode()
    assert "Tệp có 3 lỗi" in page
    assert page.count("không tìm thấy tổ chức mã") == 2
    assert OUTSIDE_CONFLICT in page  # not "mã … đã được dùng ngoài phạm vi" (issue 11)
    client.post(f"{response['Location']}confirm/")
    assert not Organization.unscoped.filter(code="X.1").exists()
    assert Organization.unscoped.get(pk=world.outside_branch.pk).name != "Đổi tên trộm"


def test_only_xlsx_and_csv_are_accepted(world):
    client = world.client(Role.OFFICER)
    response = client.post("/imports/orgs/", {"file": io.BytesIO(b"x")})
    assert response.status_code == 400 and "Chưa lưu." in response.content.decode()
    assert not ImportUpload.objects.exists()


def test_template_has_the_contract_headers(world):
    client = world.client(Role.SECRETARY)  # any signed-in user (anonymous: the login page)
    response = client.get("/templates/orgs.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [cell.value for cell in sheet[1]] == ORG_CONTRACT_HEADERS
    csv_text = client.get("/templates/orgs.csv").content.decode("utf-8-sig")
    assert csv_text.splitlines()[0] == ",".join(ORG_CONTRACT_HEADERS)


def test_templates_are_named_in_vietnamese_and_explain_every_column(world):
    """Templates were `mau-members.xlsx` with a sheet "members" and no allowed values anywhere
    (issue 12): each is named after its import, and its «Hướng dẫn» sheet lists every column,
    whether it is required and the values it takes."""
    from dangvien.core.importing import IMPORT_KINDS

    client = world.client(Role.OFFICER)
    for slug, kind in IMPORT_KINDS.items():
        response = client.get(f"/templates/{slug}.xlsx")
        assert response.status_code == 200, slug
        name = response["Content-Disposition"]
        assert "mau-nhap-" in name and slug not in name.split("mau-nhap-")[1], name
        workbook = load_workbook(io.BytesIO(response.content))
        assert workbook.sheetnames[1] == "Hướng dẫn"
        assert workbook.sheetnames[0] == kind.label[:1].upper() + kind.label[1:31]  # «Đảng» kept
        guide = [[cell.value for cell in row] for row in workbook["Hướng dẫn"].iter_rows()]
        columns = {row[0]: row[1:] for row in guide[4:]}
        assert list(columns) == [column.header for column in kind.columns], slug
        assert all(text for _required, text in columns.values()), slug
    orgs = load_workbook(io.BytesIO(client.get("/templates/orgs.xlsx").content))["Hướng dẫn"]
    kinds = next(row for row in orgs.iter_rows(values_only=True) if row[0] == "Loại tổ chức")
    assert kinds[1] == "Có" and "Chi bộ trực thuộc" in kinds[2]
