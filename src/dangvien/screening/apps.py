from django.apps import AppConfig


class ScreeningConfig(AppConfig):
    name = "dangvien.screening"
    label = "screening"
    verbose_name = "Sàng lọc, xóa tên, xin ra khỏi Đảng"

    def ready(self) -> None:
        from dangvien.core.models import ACTION_LABELS, FIELD_LABELS
        from dangvien.screening.models import ACTION_LABELS as SCREENING_ACTIONS

        ACTION_LABELS.update(SCREENING_ACTIONS)
        FIELD_LABELS.setdefault("case_status", "Tình trạng hồ sơ")
        FIELD_LABELS.setdefault("case_step", "Bước xét")
