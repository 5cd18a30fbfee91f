from django.apps import AppConfig


class ResidenceConfig(AppConfig):
    name = "dangvien.residence"
    label = "residence"
    verbose_name = "Đảng viên đang công tác giữ mối liên hệ với nơi cư trú"

    def ready(self) -> None:
        from dangvien.core.models import ACTION_LABELS
        from dangvien.residence.models import ACTION_LABELS as RESIDENCE_ACTIONS

        ACTION_LABELS.update(RESIDENCE_ACTIONS)
