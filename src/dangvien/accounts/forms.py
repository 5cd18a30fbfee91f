from django import forms

from dangvien.core.forms import ScopedForm
from dangvien.core.roles import GRANTABLE_BY_OFFICER, Role
from dangvien.core.scope import scope_of
from dangvien.organizations.forms import OrgCodeField


def _role_choices(user):
    roles = list(Role) if scope_of(user).everything else list(GRANTABLE_BY_OFFICER)
    return [(role.value, role.label) for role in roles]


class GrantRoleForm(ScopedForm):
    role = forms.ChoiceField(label="Vai trò")
    organization_code = OrgCodeField(
        label="Mã tổ chức",
        required=False,
        help_text="Vai trò áp dụng cho tổ chức này và mọi tổ chức trực thuộc.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = _role_choices(self.user)

    def clean(self):
        data = super().clean()
        data["organization"] = self.resolve_org("organization_code", "manage_users")
        if data.get("role") != Role.ADMIN and not data.get("organization_code"):
            self.add_error("organization_code", "Cần nhập mã tổ chức cho vai trò này.")
        return data


class CreateUserForm(GrantRoleForm):
    username = forms.CharField(label="Tên đăng nhập", max_length=150)
    full_name = forms.CharField(label="Họ và tên", max_length=150)
    password = forms.CharField(label="Mật khẩu ban đầu", widget=forms.PasswordInput)
    field_order = ["username", "full_name", "password", "role", "organization_code"]


class ResetPasswordForm(forms.Form):
    temporary_password = forms.CharField(
        label="Mật khẩu tạm thời",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="Báo mật khẩu này cho người dùng qua kênh riêng; họ phải đổi ngay khi đăng nhập.",
    )
    reason = forms.CharField(
        label="Lý do đặt lại",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=500,
        help_text="Ví dụ: người dùng quên mật khẩu, đã xác minh qua điện thoại cơ quan; ghi vào "
        "nhật ký cùng người thực hiện.",
    )
    service_fields = {"password": "temporary_password"}


class DisableUserForm(forms.Form):
    reason = forms.CharField(
        label="Lý do khóa", widget=forms.Textarea(attrs={"rows": 2}), max_length=500
    )


class EnableUserForm(forms.Form):
    reason = forms.CharField(
        label="Ghi chú", widget=forms.Textarea(attrs={"rows": 2}), max_length=500, required=False
    )


class ResetTwoFactorForm(forms.Form):
    reason = forms.CharField(
        label="Lý do đặt lại",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=500,
        help_text="Ví dụ: mất điện thoại, đổi điện thoại; ghi vào nhật ký cùng người thực hiện.",
    )


class UnlockForm(forms.Form):
    reason = forms.CharField(
        label="Lý do gỡ khóa",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=500,
        help_text="Ví dụ: người dùng gọi điện báo nhập nhầm, đã xác minh; ghi vào nhật ký.",
    )
