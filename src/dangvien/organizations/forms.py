from django import forms

from dangvien.core.forms import DecisionForm
from dangvien.core.versions import VersionField
from dangvien.organizations.models import Organization, OrgKind
from dangvien.organizations.selectors import visible_orgs


class OrgCodeField(forms.CharField):
    """A field for an organisation code, which a form (core.forms.ScopedForm.resolve_org) looks
    up within the acting user's scope."""

    default_error_messages = {
        "not_found": "Không tìm thấy tổ chức có mã này trong phạm vi quản lý của bạn.",
    }

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 40)
        super().__init__(*args, **kwargs)
        self.widget.attrs.update({"list": "org-codes", "autocomplete": "off"})

    def resolve(self, user, code: str, capability: str) -> Organization | None:
        """The organisation of `code` on which `user` holds `capability`, if any."""
        return visible_orgs(user, capability).filter(code=code).first()


class CreateOrganizationForm(DecisionForm):
    parent_code = OrgCodeField(
        label="Mã tổ chức cấp trên",
        required=False,
        help_text="Để trống nếu là tổ chức cấp cao nhất.",
    )
    code = forms.CharField(label="Mã tổ chức", max_length=40)
    name = forms.CharField(label="Tên tổ chức", max_length=255)
    kind = forms.ChoiceField(label="Loại tổ chức", choices=OrgKind.choices)
    field_order = [
        "parent_code",
        "code",
        "name",
        "kind",
        "effective_on",
        "decision_number",
        "decision_body",
        "reason",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["effective_on"].label = "Ngày thành lập"

    def clean(self):
        data = super().clean()
        data["parent"] = self.resolve_org("parent_code")
        return data


class RenameOrganizationForm(DecisionForm):
    name = forms.CharField(label="Tên mới", max_length=255)
    version = VersionField()
    field_order = ["name"]


class ChangeCodeForm(DecisionForm):
    code = forms.CharField(
        label="Mã mới",
        max_length=40,
        help_text="Chữ cái không dấu, chữ số, dấu chấm, gạch ngang, gạch dưới.",
    )
    version = VersionField()
    field_order = ["code"]


class MoveOrganizationForm(DecisionForm):
    parent_code = OrgCodeField(label="Mã tổ chức cấp trên mới")
    version = VersionField()
    field_order = ["parent_code"]

    def clean(self):
        data = super().clean()
        data["parent"] = self.resolve_org("parent_code")
        return data


class DissolveOrganizationForm(DecisionForm):
    """Dissolution (a confirmation page): the date and the reason are required."""

    version = VersionField()
    field_order = ["effective_on", "decision_number", "decision_body", "reason"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["effective_on"].required = True
        self.fields["effective_on"].label = "Ngày giải thể"
        self.fields["effective_on"].widget.attrs["placeholder"] = "dd/mm/yyyy"
        self.fields["reason"].required = True
        self.fields["reason"].label = "Lý do giải thể"


class RestoreOrganizationForm(forms.Form):
    """Restoring a dissolved organisation: the reason is required."""

    reason = forms.CharField(
        label="Lý do khôi phục",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Ví dụ: giải thể nhầm; quyết định giải thể đã bị hủy bỏ (ghi số quyết định).",
    )
    version = VersionField()
