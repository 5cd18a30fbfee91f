from django.apps import AppConfig


class TransfersConfig(AppConfig):
    name = "dangvien.transfers"
    label = "transfers"
    verbose_name = "Chuyển sinh hoạt đảng"

    def ready(self) -> None:
        from dangvien.core.models import ACTION_LABELS
        from dangvien.transfers.models import ACTION_LABELS as TRANSFER_ACTIONS
        from dangvien.transfers.working_days import register

        ACTION_LABELS.update(TRANSFER_ACTIONS)
        register()  # the presentation deadline in working days, for the holiday calendar
