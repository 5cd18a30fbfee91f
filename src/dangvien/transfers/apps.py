from django.apps import AppConfig


class TransfersConfig(AppConfig):
    name = "dangvien.transfers"
    label = "transfers"
    verbose_name = "Chuyển sinh hoạt đảng"

    def ready(self) -> None:
        from dangvien.core.models import ACTION_LABELS
        from dangvien.transfers import blocking, working_days
        from dangvien.transfers.models import ACTION_LABELS as TRANSFER_ACTIONS

        ACTION_LABELS.update(TRANSFER_ACTIONS)
        working_days.register()  # the presentation deadline in working days, for the holidays
        blocking.register()  # open letters hold back an organisation's end, a member's leaving
