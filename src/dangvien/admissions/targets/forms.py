"""Forms of the quotas page: they parse input; `targets.services.set_target` checks and writes."""

from django import forms

from dangvien.admissions.targets.importing import parse_term, parse_year
from dangvien.admissions.targets.services import MAX_QUOTA
from dangvien.core.decisions import Decision
from dangvien.core.forms import ScopedForm
from dangvien.core.roles import Capability
from dangvien.core.versions import VersionField
from dangvien.organizations.forms import OrgCodeField


def _sentence(message: str) -> str:
    return message[:1].upper() + message[1:]


def parse_period(text: str) -> tuple[int | None, tuple[int, int] | None, str]:
    """ "2025" → a year, "2020-2025" → a term; (year, term, "") or (None, None, message)."""
    text = text.strip()
    if text.isdigit():
        year, message = parse_year(text)
        return year, None, _sentence(message)
    term, message = parse_term(text)
    return None, term, _sentence(message)


class TargetFilterForm(ScopedForm):
    """The quotas under an organisation, for one year or term."""

    org = OrgCodeField(label="Mã tổ chức", required=False)
    period = forms.CharField(
        label="Năm hoặc nhiệm kỳ",
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"placeholder": "2025 hoặc 2020-2025"}),
    )

    def clean(self):
        data = super().clean()
        data["organization"] = self.resolve_org("org", Capability.VIEW)
        data["year"] = data["term"] = None
        if data.get("period"):
            data["year"], data["term"], message = parse_period(data["period"])
            if message:
                self.add_error("period", message)
        return data


class TargetForm(ScopedForm):
    """Set (or change) the quota of an organisation for a year or a congress term."""

    organization_code = OrgCodeField(label="Mã tổ chức")
    year = forms.IntegerField(label="Năm", required=False, min_value=1930, max_value=2100)
    term = forms.CharField(
        label="hoặc nhiệm kỳ",
        required=False,
        max_length=20,
        help_text="Ghi năm đầu-năm cuối, ví dụ 2020-2025. Chỉ ghi năm hoặc nhiệm kỳ.",
        widget=forms.TextInput(attrs={"placeholder": "2020-2025"}),
    )
    quota = forms.IntegerField(label="Chỉ tiêu kết nạp", min_value=0, max_value=MAX_QUOTA)
    stretch_quota = forms.IntegerField(
        label="Chỉ tiêu phấn đấu",
        required=False,
        min_value=0,
        max_value=MAX_QUOTA,
        help_text="Không bắt buộc; không thấp hơn chỉ tiêu kết nạp. Để trống: giữ như đã đặt.",
    )
    decision_number = forms.CharField(
        label="Số văn bản giao chỉ tiêu",
        required=False,
        max_length=60,
        widget=forms.TextInput(attrs={"placeholder": "01-NQ/ĐH"}),
    )
    decision_on = forms.DateField(label="Ngày văn bản", required=False)
    decision_body = forms.CharField(
        label="Cơ quan ban hành",
        required=False,
        max_length=200,
        help_text="Ví dụ: Đại hội Đảng bộ phường (nghị quyết đại hội), Ban Thường vụ Quận ủy.",
    )
    version = VersionField()  # the quotas as the page showed them (targets.selectors.page_token)

    def clean(self):
        data = super().clean()
        data["organization"] = self.resolve_org("organization_code", Capability.MANAGE_ORGS)
        data["term_years"] = None
        if data.get("term"):
            data["term_years"], message = parse_term(data["term"])
            if message:
                self.add_error("term", _sentence(message))
        return data

    def decision(self) -> Decision:
        data = self.cleaned_data
        return Decision(
            effective_on=data.get("decision_on"),
            number=data.get("decision_number", ""),
            body=data.get("decision_body", ""),
        )
