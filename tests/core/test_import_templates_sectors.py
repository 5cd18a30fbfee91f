"""The «Hướng dẫn» sheet of the `orgs` template lists every «Loại hình» (sector), and each one an
officer copies from it imports, as written or without diacritics."""

import io

from django.core.management import call_command

from dangvien.core.importing import IMPORT_KINDS
from dangvien.core.roles import Role
from dangvien.core.vntext import fold
from dangvien.organizations.models import Organization, Sector
from tests.core.test_import_templates import _dry_run, _guide, _listed, _write


def test_every_sector_the_instructions_list_imports(world, tmp_path):
    listed = _listed(_guide(world.client(Role.OFFICER), "orgs")["Loại hình"])
    assert listed == [sector.label for sector in Sector]
    headers = [column.header for column in IMPORT_KINDS["orgs"].columns]
    rows = []
    for n, label in enumerate(listed, start=1):
        written = label if n % 2 else fold(label).upper()  # "DOANH NGHIEP TU NHAN" as well
        row = {
            "Mã tổ chức": f"P.U1.{50 + n}",
            "Tên tổ chức": f"Chi bộ cơ sở số {n}",
            "Loại tổ chức": "Chi bộ cơ sở",
            "Mã tổ chức cấp trên": world.upper.code,
            "Loại hình": written,
        }
        rows.append([row.get(header, "") for header in headers])
    path = _write(tmp_path / "orgs.csv", headers, rows)
    assert f"sẽ tạo mới {len(listed)}," in _dry_run("orgs", path)
    call_command("import", "orgs", str(path), stdout=io.StringIO())
    imported = Organization.unscoped.filter(name__startswith="Chi bộ cơ sở số ").order_by("code")
    assert list(imported.values_list("sector", flat=True)) == Sector.values
