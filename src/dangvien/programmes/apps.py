from django.apps import AppConfig


class ProgrammesConfig(AppConfig):
    name = "dangvien.programmes"
    label = "programmes"
    verbose_name = "Chương trình hành động, học tập nghị quyết"

    def ready(self) -> None:
        from dangvien.core.models import ACTION_LABELS
        from dangvien.programmes.models import ACTION_LABELS as PROGRAMME_ACTIONS

        ACTION_LABELS.update(PROGRAMME_ACTIONS)
