"""Helpers writing spreadsheets for import tests, the way users produce them."""

import csv
from pathlib import Path

from openpyxl import Workbook

ORG_HEADERS = ["Mã tổ chức", "Tên tổ chức", "Loại tổ chức", "Mã tổ chức cấp trên"]


def write_xlsx(path: Path, headers: list[str], rows: list[list]) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def write_csv(path: Path, headers: list[str], rows: list[list], bom: bool = True) -> Path:
    with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(headers)
        writer.writerows(rows)
    return path


def org_tree_rows(uppers: int = 10, bases: int = 9, branches: int = 10) -> list[list]:
    """A valid province: 1 + uppers + uppers*bases + uppers*bases*branches organisations."""
    rows = [["T", "Đảng bộ tỉnh Thử Nghiệm", "Đảng bộ tỉnh", ""]]
    for u in range(1, uppers + 1):
        upper = f"T.{u:02d}"
        rows.append([upper, f"Đảng bộ xã Số {u}", "Đảng bộ cấp trên trực tiếp cơ sở", "T"])
        for b in range(1, bases + 1):
            base = f"{upper}.{b:02d}"
            rows.append([base, f"Đảng bộ Trường Số {u}-{b}", "Đảng bộ cơ sở", upper])
            for c in range(1, branches + 1):
                rows.append([f"{base}.{c:02d}", f"Chi bộ Tổ {c}", "Chi bộ trực thuộc", base])
    return rows
