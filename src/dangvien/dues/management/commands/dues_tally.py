"""`dangvien dues_tally [--year Y ...]`: (re)build the dues report's stored summary of whole
years (dues/tally.py), by default the years already built and this year. Run it after a bulk
change made outside the application, and at the start of a year (the report otherwise builds
the year the first time it is asked for)."""

import time

from django.core.management.base import BaseCommand
from django.utils import timezone

from dangvien.core.scope import unscoped
from dangvien.dues import tally


class Command(BaseCommand):
    help = "Dựng lại số liệu tổng hợp đảng phí theo chi bộ và tháng cho báo cáo đảng phí."

    def add_arguments(self, parser):
        parser.add_argument(
            "--year", type=int, action="append", help="năm cần dựng (có thể ghi nhiều lần)"
        )

    def handle(self, *args, year=None, **options):
        years = sorted(set(year or tally.built_years() | {timezone.localdate().year}))
        with unscoped():
            for one in years:
                started = time.perf_counter()
                tally.build_year(one)
                seconds = f"{time.perf_counter() - started:.1f}".replace(".", ",")
                self.stdout.write(f"Đã dựng số liệu đảng phí năm {one} trong {seconds} giây.")
