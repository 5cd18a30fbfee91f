from django import forms

from dangvien.core.forms import DecisionForm, ScopedForm
from dangvien.core.versions import VersionField
from dangvien.organizations.models import Organization, OrgEventKind, OrgKind, Sector
from dangvien.organizations.selectors import visible_orgs

DECIDING_BODY_HELP = "Mã tổ chức của cơ quan quyết định (ví dụ cấp ủy cấp trên), hoặc tên cơ quan."


def sector_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label="Loại hình",
        choices=[("", "— Chưa ghi —"), *Sector.choices],
        required=False,
        help_text="Loại đơn vị mà tổ chức đảng lãnh đạo (xã, phường, cơ quan, doanh nghiệp…).",
    )


class OrgDecisionForm(DecisionForm):
    """The decision behind a change of the tree; its deciding body may be an organisation code."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision_body"].help_text = DECIDING_BODY_HELP


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


class CreateOrganizationForm(OrgDecisionForm):
    parent_code = OrgCodeField(
        label="Mã tổ chức cấp trên",
        required=False,
        help_text="Để trống nếu là tổ chức cấp cao nhất.",
    )
    code = forms.CharField(label="Mã tổ chức", max_length=40)
    name = forms.CharField(label="Tên tổ chức", max_length=255)
    kind = forms.ChoiceField(label="Loại tổ chức", choices=OrgKind.choices)
    sector = sector_field()
    field_order = [
        "parent_code",
        "code",
        "name",
        "kind",
        "sector",
        "effective_on",
        "decision_number",
        "decision_body",
        "reason",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        founding = self.fields["effective_on"]
        founding.label = "Ngày thành lập"
        founding.help_text = (
            "Để trống nếu tổ chức đã có từ trước mọi báo cáo; chỉ được khi tổ chức cấp trên "
            "cũng vậy (không ghi ngày thành lập, chưa thay đổi theo quyết định nào)."
        )

    def clean(self):
        data = super().clean()
        data["parent"] = self.resolve_org("parent_code")
        return data


class RenameOrganizationForm(OrgDecisionForm):
    """A rename decided by the Party: the new name holds from the effective date (default
    today); a typo is corrected on the correction page instead."""

    name = forms.CharField(label="Tên mới", max_length=255)
    version = VersionField()
    field_order = ["name"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["effective_on"].help_text = "Để trống: từ hôm nay."


class ChangeOrganizationForm(OrgDecisionForm):
    """A change of kind or sector decided by the Party, from the effective date."""

    kind = forms.ChoiceField(label="Loại tổ chức", choices=OrgKind.choices)
    sector = sector_field()
    version = VersionField()
    field_order = ["kind", "sector"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["effective_on"].help_text = "Để trống: từ hôm nay."


class CorrectOrganizationForm(ScopedForm):
    """A correction of a mistake (no decision): the organisation is taken to have always had
    these values."""

    name = forms.CharField(label="Tên tổ chức", max_length=255)
    sector = sector_field()
    founded_on = forms.DateField(label="Ngày thành lập", required=False)
    reason = forms.CharField(
        label="Lý do sửa",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Ví dụ: gõ sai tên khi nhập; ghi nhầm loại hình.",
    )
    version = VersionField()


class ChangeCodeForm(DecisionForm):
    code = forms.CharField(
        label="Mã mới",
        max_length=40,
        help_text="Chữ cái không dấu, chữ số, dấu chấm, gạch ngang, gạch dưới.",
    )
    version = VersionField()
    field_order = ["code"]


class MoveOrganizationForm(OrgDecisionForm):
    parent_code = OrgCodeField(label="Mã tổ chức cấp trên mới")
    version = VersionField()
    field_order = ["parent_code"]

    def clean(self):
        data = super().clean()
        data["parent"] = self.resolve_org("parent_code")
        return data


class DissolveOrganizationForm(OrgDecisionForm):
    """Dissolution (a confirmation page): an end or a discipline measure; the date and the
    reason are required."""

    kind = forms.ChoiceField(
        label="Hình thức",
        choices=[(OrgEventKind.END, "Giải thể"), (OrgEventKind.DISBAND, "Giải tán (kỷ luật)")],
        initial=OrgEventKind.END,
        required=False,
        widget=forms.RadioSelect,
    )
    version = VersionField()
    field_order = ["kind", "effective_on", "decision_number", "decision_body", "reason"]

    def clean_kind(self) -> str:
        return self.cleaned_data.get("kind") or OrgEventKind.END

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
