from django.apps import AppConfig


class DisciplineConfig(AppConfig):
    name = "dangvien.discipline"
    label = "discipline"
    verbose_name = "Kỷ luật"

    def ready(self) -> None:
        from dangvien.core.models import ACTION_LABELS
        from dangvien.discipline.models import ACTION_LABELS as DISCIPLINE_ACTIONS

        ACTION_LABELS.update(DISCIPLINE_ACTIONS)

        from dangvien.core.blockers import register_transfer_check
        from dangvien.discipline.suspensions import transfer_refusal

        register_transfer_check("suspensions", transfer_refusal)

        from dangvien.discipline.complaints import transfer_refusal as complaining

        register_transfer_check("complaints", complaining)
