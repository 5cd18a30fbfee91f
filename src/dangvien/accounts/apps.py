from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "dangvien.accounts"
    label = "accounts"
    verbose_name = "Tài khoản"

    def ready(self):
        # Sign-in events go to the audit (accounts/signals.py).
        from dangvien.accounts import signals  # noqa: F401
        from dangvien.core.models import ACTION_LABELS

        # The change history names the undoing of a revocation like the other role changes.
        ACTION_LABELS.setdefault("role.restore", "Cấp lại vai trò đã thu hồi")
