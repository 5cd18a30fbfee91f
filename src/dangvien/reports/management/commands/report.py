"""`dangvien report KIND --org CODE [--year Y | --from Y1 --to Y2] [--format json|xlsx|pdf]
[--output FILE]`: print or write a report exactly per formats.md ("Report JSON")."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from dangvien.core.errors import DomainError
from dangvien.core.routers import on_replica
from dangvien.core.scope import unscoped
from dangvien.organizations.models import WHOLE_PARTY_CODE, Organization, whole_party
from dangvien.reports import (
    render,
    render_admissions,
    render_awards,
    render_inspection,
    render_programme,
    render_quality,
)
from dangvien.reports.admissions import admissions_report
from dangvien.reports.awards import awards_report
from dangvien.reports.inspection import inspection_report
from dangvien.reports.periods import year_end
from dangvien.reports.programme import programme_report
from dangvien.reports.quality import quality_report
from dangvien.reports.structure import structure_report


def _structure(organization: Organization, year: int | None, output_format: str, **period):
    return structure_report(organization, year_end(year, timezone.localdate()))


def _quality(organization: Organization, year: int | None, output_format: str, **period):
    if year is None:
        raise CommandError("Báo cáo xếp loại chất lượng cần tham số --year Y (năm đánh giá).")
    year_end(year, timezone.localdate())  # the year must have begun and be ≥ 1930
    if output_format == "json":  # formats.md: no earlier years, no names
        return quality_report(organization, year, details=False)
    if output_format == "xlsx":  # the workbook lists every member not graded
        return quality_report(organization, year, not_graded_limit=None)
    return quality_report(organization, year)


def _period(year: int | None, period: dict, what: str) -> tuple[int, int]:
    """A year (--year Y) or a term (--from Y1 --to Y2) as (first year, last year)."""
    year_from, year_to = period.get("year_from"), period.get("year_to")
    if year is not None and year_to is not None:
        raise CommandError("Dùng --year Y hoặc --from Y1 --to Y2, không dùng cả hai.")
    if year is not None:
        return year, year
    if year_from is None and year_to is None:
        raise CommandError(f"Báo cáo {what} cần tham số --year Y hoặc --from Y1 --to Y2.")
    if year_from is None or year_to is None:
        raise CommandError("Tham số --from Y1 và --to Y2 phải đi cùng nhau.")
    return year_from, year_to


def _admissions(organization: Organization, year: int | None, output_format: str, **period):
    """A year (--year Y, against the year's quota) or a term (--from Y1 --to Y2, against the
    term's quota)."""
    return admissions_report(organization, *_period(year, period, "phát triển đảng viên"))


def _programme(organization: Organization, year: int | None, output_format: str, **period):
    """The programme of a year (--year Y) or of a term (--from Y1 --to Y2)."""
    if organization.pk is None:
        raise CommandError("Chương trình hành động là của một tổ chức: ghi mã tổ chức.")
    return programme_report(organization, *_period(year, period, "chương trình hành động"))


def _inspection(organization: Organization, year: int | None, output_format: str, **period):
    if year is None:
        raise CommandError("Báo cáo kiểm tra, giám sát cần tham số --year Y.")
    year_end(year, timezone.localdate())  # the year must have begun and be ≥ 1930
    return inspection_report(organization, year)


def _awards(organization: Organization, year: int | None, output_format: str, **period):
    """Organisations and members excellent the five years to Y, badge milestones reached in Y."""
    if year is None:
        raise CommandError("Báo cáo khen thưởng cần tham số --year Y.")
    year_end(year, timezone.localdate())  # the year must have begun and be ≥ 1930
    return awards_report(organization, year)


BUILDERS = {
    "structure": _structure,
    "quality": _quality,
    "admissions": _admissions,
    "inspection": _inspection,
    "programme": _programme,
    "awards": _awards,
}
RENDERERS = {
    "structure": {"json": render.json_text, "xlsx": render.to_xlsx, "pdf": render.to_pdf},
    "quality": {
        "json": render_quality.json_text,
        "xlsx": render_quality.to_xlsx,
        "pdf": render_quality.to_pdf,
    },
    "admissions": {
        "json": render_admissions.json_text,
        "xlsx": render_admissions.to_xlsx,
        "pdf": render_admissions.to_pdf,
    },
    "inspection": {
        "json": render_inspection.json_text,
        "xlsx": render_inspection.to_xlsx,
        "pdf": render_inspection.to_pdf,
    },
    "programme": {
        "json": render_programme.json_text,
        "xlsx": render_programme.to_xlsx,
        "pdf": render_programme.to_pdf,
    },
    "awards": {"json": render_awards.json_text, "xlsx": render_awards.to_xlsx},
}
FORMATS = ("json", "xlsx", "pdf")


class Command(BaseCommand):
    help = "In ra hoặc ghi tệp báo cáo thống kê của một tổ chức và các tổ chức trực thuộc."
    # Read-only: Django's system checks (they import every URL configuration and view, a third
    # of the command's time) are for the commands that serve or change the site.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(BUILDERS), help="loại báo cáo")
        parser.add_argument(
            "--org", required=True, metavar="CODE", help="mã tổ chức; * là toàn Đảng"
        )
        period = parser.add_mutually_exclusive_group()
        period.add_argument(
            "--year",
            type=int,
            metavar="Y",
            help=(
                "cơ cấu: tính đến cuối năm Y (mặc định: hôm nay); xếp loại: năm đánh giá; "
                "phát triển đảng viên: năm kết nạp; kiểm tra, giám sát: năm ra quyết định; "
                "khen thưởng: năm xét (số năm liền theo bộ quy tắc áp dụng, đến năm Y; "
                "mốc Huy hiệu Đảng đủ trong năm Y)"
            ),
        )
        period.add_argument(
            "--from",
            dest="year_from",
            type=int,
            metavar="Y1",
            help="từ năm (phát triển đảng viên, chương trình hành động theo nhiệm kỳ)",
        )
        parser.add_argument(
            "--to", dest="year_to", type=int, metavar="Y2", help="đến năm (cùng với --from)"
        )
        parser.add_argument("--format", dest="output_format", choices=FORMATS, default="json")
        parser.add_argument(
            "--output", metavar="FILE", help="tệp ghi kết quả (bắt buộc với xlsx và pdf)"
        )

    def handle(self, *args, **options):
        with on_replica():  # a replica, when configured, carries the report's reads
            self._report(*args, **options)

    def _report(self, *args, kind, org, year, year_from, year_to, output_format, output, **options):
        periods = {"year_from": year_from, "year_to": year_to}
        if kind not in ("admissions", "programme") and (
            year_from is not None or year_to is not None
        ):
            what = {
                "awards": "khen thưởng",
                "structure": "cơ cấu",
                "quality": "xếp loại chất lượng",
                "inspection": "kiểm tra, giám sát",
            }[kind]
            raise CommandError(
                f"Báo cáo {what} là số liệu của một năm: dùng --year Y, không dùng --from/--to."
            )
        if output_format not in RENDERERS[kind]:
            raise CommandError(
                f"Báo cáo này có các định dạng: {', '.join(RENDERERS[kind])}; không có "
                f"{output_format}."
            )
        if output_format != "json" and not output:
            raise CommandError(f"Định dạng {output_format} cần tham số --output TỆP.")
        with unscoped():
            if org.strip() == WHOLE_PARTY_CODE:
                organization = whole_party()
            else:
                organization = Organization.unscoped.filter(code=org.strip()).first()
            if organization is None:
                raise CommandError(f"Không tìm thấy tổ chức có mã {org}.")
            try:
                report = BUILDERS[kind](organization, year, output_format, **periods)
            except DomainError as error:
                raise CommandError(error.message) from error
        content = RENDERERS[kind][output_format](report)
        if not output:
            self.stdout.write(content, ending="")
            return
        path = Path(output)
        try:
            if isinstance(content, str):
                path.write_text(content, encoding="utf-8")
            else:
                path.write_bytes(content)
        except OSError as error:
            raise CommandError(f"Không ghi được tệp {output}: {error.strerror}.") from error
        self.stderr.write(f"Đã ghi báo cáo vào {output}.")
