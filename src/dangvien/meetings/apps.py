from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "dangvien.meetings"
    label = "meetings"
    verbose_name = "Sinh hoạt chi bộ"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from dangvien.core.models import ACTION_LABELS
        from dangvien.meetings.models import ACTION_LABELS as MEETING_ACTIONS

        ACTION_LABELS.update(MEETING_ACTIONS)
