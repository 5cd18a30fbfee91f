from django.apps import AppConfig


class BadgesConfig(AppConfig):
    name = "dangvien.badges"
    label = "badges"
    verbose_name = "Huy hiệu Đảng"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from dangvien.badges.models import ACTION_LABELS as BADGE_ACTIONS
        from dangvien.badges.services import after_leaving, after_reinstating
        from dangvien.core import blockers
        from dangvien.core.models import ACTION_LABELS

        ACTION_LABELS.update(BADGE_ACTIONS)
        blockers.register_leaving_effect("badges", after_leaving)
        blockers.register_reinstating_effect("badges", after_reinstating)

        from dangvien.badges.selectors import my_section
        from dangvien.site import my_sections

        my_sections.register(my_section, order=10)
