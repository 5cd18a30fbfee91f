from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "dangvien.accounts"
    label = "accounts"
    verbose_name = "Tài khoản"

    def ready(self):
        # Sign-in events go to the audit (accounts/signals.py).
        from dangvien.accounts import signals  # noqa: F401
