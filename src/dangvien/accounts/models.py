"""Users and the roles they hold on subtrees of the organisation tree."""

from django.contrib.auth.models import AbstractUser
from django.db import models

from dangvien.core.roles import Role


class User(AbstractUser):
    """A person who signs in; what they see comes from their role bindings, never from flags."""

    full_name = models.CharField("họ và tên", max_length=150, blank=True)
    # Set when an administrator gives a temporary password; cleared when the user changes it.
    must_change_password = models.BooleanField("phải đổi mật khẩu", default=False)
    # Raised whenever the user's roles or two-factor devices change (accounts/signals.py): a
    # session remembers "no second sign-in step owed" under this number only.
    access_version = models.PositiveIntegerField(
        "phiên bản quyền truy cập", default=0, editable=False
    )

    class Meta:
        verbose_name = "tài khoản"
        verbose_name_plural = "tài khoản"

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def display_name(self) -> str:
        return self.full_name or self.username


class RoleBinding(models.Model):
    """A role held on an organisation and everything below it (the administrator: on all)."""

    scope_path = "organization__path"

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="role_bindings", verbose_name="tài khoản"
    )
    role = models.CharField("vai trò", max_length=20, choices=Role.choices)
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="role_bindings",
        verbose_name="tổ chức",
    )
    active = models.BooleanField("đang hiệu lực", default=True)
    granted_at = models.DateTimeField("ngày cấp", auto_now_add=True)

    class Meta:
        verbose_name = "phân quyền"
        verbose_name_plural = "phân quyền"
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(role=Role.ADMIN, organization__isnull=True)
                    | (~models.Q(role=Role.ADMIN) & models.Q(organization__isnull=False))
                ),
                name="rolebinding_org_matches_role",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "organization"], name="rolebinding_unique"
            ),
        ]

    def __str__(self) -> str:
        where = self.organization.name if self.organization_id else "toàn hệ thống"
        return f"{self.get_role_display()} — {where}"


class PasswordHistory(models.Model):
    """A hash of a password the user once had, so the last few cannot be chosen again."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="password_history", verbose_name="tài khoản"
    )
    password = models.CharField("mật khẩu (đã băm)", max_length=128)
    set_at = models.DateTimeField("ngày đặt", auto_now_add=True)

    class Meta:
        verbose_name = "mật khẩu đã dùng"
        verbose_name_plural = "mật khẩu đã dùng"
        ordering = ["-set_at", "-id"]

    def __str__(self) -> str:
        return f"{self.user} — {self.set_at:%d/%m/%Y}"
