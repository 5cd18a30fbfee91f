"""The forms of the award pages: an award recorded or corrected, a proposal's paper, the
decision on a proposal."""

from django import forms
from django.utils import timezone

from dangvien.awards.models import AwardForm, AwardLevel
from dangvien.awards.services import AwardData, Decision, ProposalPlan
from dangvien.core import versions

DAY = forms.DateInput(attrs={"placeholder": "dd/mm/yyyy"})
TEXT = forms.Textarea(attrs={"rows": 2})


class AwardRecordForm(forms.Form):
    version = versions.VersionField()
    form = forms.ChoiceField(label="Hình thức", choices=AwardForm.choices)
    form_other = forms.CharField(
        label="Hình thức khác", max_length=120, required=False, help_text="Khi chọn «Khác»."
    )
    level = forms.ChoiceField(label="Cấp khen", choices=AwardLevel.choices)
    title = forms.CharField(
        label="Danh hiệu, nội dung",
        max_length=500,
        help_text="Ví dụ «Đảng viên hoàn thành xuất sắc nhiệm vụ tiêu biểu 5 năm liền "
        "(2017–2021)».",
    )
    year_from = forms.IntegerField(label="Khen cho năm (từ)", min_value=1930, max_value=2200)
    year_to = forms.IntegerField(
        label="Đến năm",
        min_value=1930,
        max_value=2200,
        required=False,
        help_text="Để trống: một năm.",
    )
    decision_number = forms.CharField(label="Số quyết định", max_length=60)
    decided_on = forms.DateField(label="Ngày quyết định", widget=DAY)
    deciding_body = forms.CharField(label="Cơ quan quyết định", max_length=200)
    reason = forms.CharField(label="Lý do, thành tích", required=False, widget=TEXT)

    def data_object(self) -> AwardData:
        data = self.cleaned_data
        return AwardData(
            form=data["form"],
            form_other=data["form_other"],
            level=data["level"],
            title=data["title"],
            year_from=data["year_from"],
            year_to=data["year_to"] or data["year_from"],
            decision_number=data["decision_number"],
            decided_on=data["decided_on"],
            deciding_body=data["deciding_body"],
            reason=data["reason"],
        )


class AwardCorrectionForm(AwardRecordForm):
    correction_reason = forms.CharField(label="Lý do sửa", max_length=2000, widget=TEXT)


def award_initial(award) -> dict:
    return {
        "version": versions.token(award),
        **{
            name: getattr(award, name)
            for name in (
                "form",
                "form_other",
                "level",
                "title",
                "year_from",
                "year_to",
                "decision_number",
                "decided_on",
                "deciding_body",
                "reason",
            )
        },
    }


class ProposalForm(forms.Form):
    form = forms.ChoiceField(label="Hình thức đề nghị", choices=AwardForm.choices)
    form_other = forms.CharField(label="Hình thức khác", max_length=120, required=False)
    level = forms.ChoiceField(label="Cấp khen", choices=AwardLevel.choices)
    title = forms.CharField(label="Danh hiệu, nội dung đề nghị", max_length=500)
    number = forms.CharField(label="Số tờ trình", max_length=60, required=False)
    proposed_on = forms.DateField(label="Ngày đề nghị", widget=DAY)
    note = forms.CharField(label="Ghi chú", required=False, widget=TEXT)

    def plan(self) -> ProposalPlan:
        data = self.cleaned_data
        return ProposalPlan(
            form=data["form"],
            form_other=data["form_other"],
            level=data["level"],
            title=data["title"],
            number=data["number"],
            proposed_on=data["proposed_on"],
            note=data["note"],
        )


class DecisionForm(forms.Form):
    version = versions.VersionField()
    decision_number = forms.CharField(label="Số quyết định", max_length=60)
    decided_on = forms.DateField(label="Ngày quyết định", widget=DAY)
    deciding_body = forms.CharField(label="Cơ quan quyết định", max_length=200)
    service_fields = {"body": "deciding_body"}

    def decision(self) -> Decision:
        data = self.cleaned_data
        return Decision(
            number=data["decision_number"],
            decided_on=data["decided_on"],
            body=data["deciding_body"],
        )


class VersionedReasonForm(forms.Form):
    version = versions.VersionField()
    reason = forms.CharField(
        label="Lý do", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


def default_title(basis: str, year: int, years: int, subject_kind: str) -> str:
    """The usual wording of HD 21 for a proposal's title."""
    from dangvien.awards.models import Basis

    if basis == Basis.STREAK:
        who = "Tổ chức cơ sở đảng" if subject_kind == "org" else "Đảng viên"
        return (
            f"{who} hoàn thành xuất sắc nhiệm vụ tiêu biểu {years} năm liền "
            f"({year - years + 1}–{year})"
        )
    if basis == Basis.YEARLY:
        if subject_kind == "org":
            return f"Tổ chức đảng trong sạch, vững mạnh tiêu biểu năm {year}"
        return f"Đảng viên hoàn thành xuất sắc nhiệm vụ tiêu biểu năm {year}"
    return f"Thành tích xuất sắc trong công tác phát triển đảng viên năm {year}"


def proposal_initial(basis: str, year: int, years: int, subject_kind: str) -> dict:
    return {
        "form": AwardForm.GIAY_KHEN,
        "level": AwardLevel.CO_SO,
        "title": default_title(basis, year, years, subject_kind),
        "proposed_on": timezone.localdate(),
    }
