from django.apps import AppConfig


class SupplementsConfig(AppConfig):
    name = "dangvien.supplements"
    label = "supplements"
    verbose_name = "Bổ sung hồ sơ đảng viên hằng năm"

    def ready(self) -> None:
        from dangvien.core.models import ACTION_LABELS, FIELD_LABELS
        from dangvien.supplements.models import ACTION_LABELS as SUPPLEMENT_ACTIONS
        from dangvien.supplements.models import PROPOSABLE_FIELDS, field_label

        # The change history names these actions in Vietnamese like the others, and labels the
        # member fields a proposal carries (its entries target the proposal, not the member).
        ACTION_LABELS.update(SUPPLEMENT_ACTIONS)
        for name in PROPOSABLE_FIELDS:
            FIELD_LABELS.setdefault(name, field_label(name))
