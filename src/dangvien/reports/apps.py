from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "dangvien.reports"
    label = "reports"
    verbose_name = "Báo cáo thống kê"

    def ready(self) -> None:
        from dangvien.reports import tallies

        tallies.connect()
