from django.apps import AppConfig


class ResidenceConfig(AppConfig):
    name = "dangvien.residence"
    label = "residence"
    verbose_name = "Đảng viên đang công tác giữ mối liên hệ với nơi cư trú"

    def ready(self) -> None:
        from dangvien.core.models import ACTION_LABELS, FIELD_LABELS
        from dangvien.residence.models import ACTION_LABELS as RESIDENCE_ACTIONS

        ACTION_LABELS.update(RESIDENCE_ACTIONS)
        # The member's history: "residence_comment_2025" → "Nhận xét nơi cư trú năm 2025".
        FIELD_LABELS.setdefault("residence", "Chi bộ nơi cư trú")
        FIELD_LABELS.setdefault("residence_comment", "Nhận xét nơi cư trú")
