from django.apps import AppConfig


class InspectionsConfig(AppConfig):
    name = "dangvien.inspections"
    label = "inspections"
    verbose_name = "Kiểm tra, giám sát"

    def ready(self) -> None:
        from dangvien.core.models import ACTION_LABELS
        from dangvien.inspections.models import ACTION_LABELS as INSPECTION_ACTIONS

        ACTION_LABELS.update(INSPECTION_ACTIONS)

        from dangvien.core.blockers import register_leaving_check, register_transfer_check
        from dangvien.inspections.services import leaving_refusal, transfer_refusal

        register_transfer_check("inspections", transfer_refusal)
        register_leaving_check("inspections", leaving_refusal)

        from dangvien.inspections.denunciations import transfer_refusal as denounced

        register_transfer_check("denunciations", denounced)
