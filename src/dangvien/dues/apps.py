from django.apps import AppConfig


class DuesConfig(AppConfig):
    name = "dangvien.dues"
    label = "dues"
    verbose_name = "Đảng phí"

    def ready(self) -> None:
        from dangvien.core.models import ACTION_LABELS
        from dangvien.dues.models import ACTION_LABELS as DUES_ACTIONS

        ACTION_LABELS.update(DUES_ACTIONS)

        from dangvien.dues.selectors import my_section
        from dangvien.site import my_sections

        my_sections.register(my_section, order=20)

        from dangvien.dues import tally

        tally.connect()
