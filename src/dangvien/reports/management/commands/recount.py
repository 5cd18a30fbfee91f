"""`dangvien recount [--all]`: store fresh unit tallies for the reports of provinces and of the
whole Party (reports/tallies/); by default only the units marked dirty."""

import time

from django.core.management.base import BaseCommand

from dangvien.core.scope import unscoped
from dangvien.reports import tallies


class Command(BaseCommand):
    help = "Đếm lại số liệu tổng hợp theo đơn vị cho báo cáo cấp tỉnh và toàn Đảng."

    def add_arguments(self, parser):
        parser.add_argument(
            "--all", action="store_true", help="đếm lại mọi đơn vị, không chỉ đơn vị có thay đổi"
        )

    def handle(self, *args, all=False, **options):
        started = time.perf_counter()
        with unscoped():
            units = tallies.all_units() if all else None
            counted = tallies.recount(units)
        seconds = time.perf_counter() - started
        units_text = f"{counted:,}".replace(",", ".")
        seconds_text = f"{seconds:.1f}".replace(".", ",")
        self.stdout.write(f"Đã đếm lại {units_text} đơn vị trong {seconds_text} giây.")
