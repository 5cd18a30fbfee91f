"""`dangvien report KIND --org CODE [--year Y | --from Y1 --to Y2] [--format json|xlsx|pdf]
[--output FILE]`: print or write a report exactly per formats.md ("Report JSON")."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from dangvien.core.errors import DomainError
from dangvien.core.scope import unscoped
from dangvien.organizations.models import Organization
from dangvien.reports import render
from dangvien.reports.periods import year_end
from dangvien.reports.structure import structure_report

# Only the kinds implemented so far; quality and admissions join them with their builders.
BUILDERS = {"structure": structure_report}
RENDERERS = {"json": render.json_text, "xlsx": render.to_xlsx, "pdf": render.to_pdf}


class Command(BaseCommand):
    help = "In ra hoặc ghi tệp báo cáo thống kê của một tổ chức và các tổ chức trực thuộc."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(BUILDERS), help="loại báo cáo")
        parser.add_argument("--org", required=True, metavar="CODE", help="mã tổ chức")
        period = parser.add_mutually_exclusive_group()
        period.add_argument(
            "--year", type=int, metavar="Y", help="tính đến cuối năm Y (mặc định: hôm nay)"
        )
        period.add_argument(
            "--from", dest="year_from", type=int, metavar="Y1", help="từ năm (báo cáo theo kỳ)"
        )
        parser.add_argument(
            "--to", dest="year_to", type=int, metavar="Y2", help="đến năm (cùng với --from)"
        )
        parser.add_argument(
            "--format", dest="output_format", choices=sorted(RENDERERS), default="json"
        )
        parser.add_argument(
            "--output", metavar="FILE", help="tệp ghi kết quả (bắt buộc với xlsx và pdf)"
        )

    def handle(self, *args, kind, org, year, year_from, year_to, output_format, output, **options):
        if year_from is not None or year_to is not None:
            raise CommandError(
                "Báo cáo cơ cấu là số liệu tại một thời điểm: dùng --year Y, "
                "không dùng --from/--to."
            )
        if output_format != "json" and not output:
            raise CommandError(f"Định dạng {output_format} cần tham số --output TỆP.")
        with unscoped():
            organization = Organization.unscoped.filter(code=org.strip()).first()
            if organization is None:
                raise CommandError(f"Không tìm thấy tổ chức có mã {org}.")
            try:
                as_of = year_end(year, timezone.localdate())
            except DomainError as error:
                raise CommandError(error.message) from error
            report = BUILDERS[kind](organization, as_of)
        content = RENDERERS[output_format](report)
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
