from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "dangvien.accounts"
    label = "accounts"
    verbose_name = "Tài khoản"

    def ready(self):
        # Sign-in events go to the audit (accounts/signals.py).
        from dangvien.accounts import signals  # noqa: F401
        from dangvien.accounts.selectors import role_holders, roles_held
        from dangvien.core.models import ACTION_LABELS
        from dangvien.core.roles import RoleReads, provide_role_reads

        # The scope mechanism (core, below every app) reads the roles held through these.
        provide_role_reads(RoleReads(held_by=roles_held, holders=role_holders))

        # The change history names the undoing of a revocation like the other role changes.
        ACTION_LABELS.setdefault("role.restore", "Cấp lại vai trò đã thu hồi")
