from django.apps import AppConfig


class AwardsConfig(AppConfig):
    name = "dangvien.awards"
    label = "awards"
    verbose_name = "Khen thưởng"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from dangvien.awards.models import ACTION_LABELS as AWARD_ACTIONS
        from dangvien.core.models import ACTION_LABELS, FIELD_LABELS

        ACTION_LABELS.update(AWARD_ACTIONS)
        FIELD_LABELS.setdefault("award", "Khen thưởng")
        FIELD_LABELS.setdefault("award_proposal", "Đề nghị khen thưởng")

        from dangvien.site import my_sections

        # By its path: the selector imports the admissions targets and the report renderers.
        my_sections.register("dangvien.awards.selectors.my_section", order=30)
