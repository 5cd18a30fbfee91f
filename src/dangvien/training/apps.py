from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "dangvien.training"
    label = "training"
    verbose_name = "Đào tạo, bồi dưỡng"

    def ready(self) -> None:
        from dangvien.core.models import ACTION_LABELS, FIELD_LABELS
        from dangvien.site import my_sections
        from dangvien.training.models import ACTION_LABELS as TRAINING_ACTIONS
        from dangvien.training.selectors import my_section

        ACTION_LABELS.update(TRAINING_ACTIONS)
        FIELD_LABELS.setdefault("training", "Đào tạo, bồi dưỡng")
        my_sections.register(my_section, order=40)
