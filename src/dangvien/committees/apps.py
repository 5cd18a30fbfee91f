from django.apps import AppConfig


class CommitteesConfig(AppConfig):
    name = "dangvien.committees"
    label = "committees"
    verbose_name = "Cấp ủy, nhiệm kỳ"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from dangvien.committees.models import ACTION_LABELS as COMMITTEE_ACTIONS
        from dangvien.core.models import ACTION_LABELS

        ACTION_LABELS.update(COMMITTEE_ACTIONS)
