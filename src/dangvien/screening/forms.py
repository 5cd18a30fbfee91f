"""The forms of the screening pages: a case opened, a self-review step, a vote, the decision,
a complaint and its answer."""

from django import forms

from dangvien.core import versions
from dangvien.organizations.models import Organization
from dangvien.screening.models import GROUNDS, CaseKind, StepKind, VoteLevel

DAY = forms.DateInput(attrs={"placeholder": "dd/mm/yyyy"})
TEXT = forms.Textarea(attrs={"rows": 3})
YES_NO = [("", "— chọn —"), ("khong", "Không"), ("co", "Có")]


class CaseForm(forms.Form):
    kind = forms.ChoiceField(label="Loại hồ sơ", choices=CaseKind.choices)
    opened_on = forms.DateField(label="Ngày mở hồ sơ", widget=DAY)
    grounds = forms.MultipleChoiceField(
        label="Căn cứ xóa tên (Điều lệ Đảng, Điều 8)",
        choices=list(GROUNDS.items()),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    application_on = forms.DateField(
        label="Ngày làm đơn xin ra khỏi Đảng", widget=DAY, required=False
    )
    facts = forms.CharField(
        label="Sự việc, căn cứ / lý do xin ra", max_length=4000, required=False, widget=TEXT
    )
    warrants_expulsion = forms.ChoiceField(
        label="Vi phạm của đảng viên có đến mức phải khai trừ không?",
        choices=YES_NO,
        help_text="Đảng viên chính thức vi phạm đến mức phải khai trừ thì phải khai trừ, không "
        "được xóa tên hay cho ra khỏi Đảng.",
    )


class ReviewStepForm(forms.Form):
    version = versions.VersionField()
    kind = forms.ChoiceField(
        label="Bước",
        choices=[
            (StepKind.REVIEW_REQUESTED, StepKind.REVIEW_REQUESTED.label),
            (StepKind.REVIEW_REFUSED, StepKind.REVIEW_REFUSED.label),
            (StepKind.REVIEW_DONE, StepKind.REVIEW_DONE.label),
        ],
    )
    on = forms.DateField(label="Ngày", widget=DAY)
    note = forms.CharField(label="Nội dung", max_length=4000, required=False, widget=TEXT)


class VoteForm(forms.Form):
    version = versions.VersionField()
    level = forms.ChoiceField(label="Cấp biểu quyết", choices=VoteLevel.choices)
    on = forms.DateField(label="Ngày biểu quyết", widget=DAY)
    body_size = forms.IntegerField(
        label="Số thành viên của cấp ủy (mẫu số)",
        min_value=1,
        max_value=10000,
        required=False,
        help_text="Chi bộ: để trống, hệ thống tính số đảng viên chính thức của chi bộ ngày "
        "biểu quyết.",
    )
    present = forms.IntegerField(label="Số có mặt", min_value=0, max_value=10000)
    votes_for = forms.IntegerField(label="Số tán thành", min_value=0, max_value=10000)
    votes_against = forms.IntegerField(label="Số không tán thành", min_value=0, max_value=10000)
    note = forms.CharField(label="Ghi chú", max_length=4000, required=False, widget=TEXT)


class DecisionForm(forms.Form):
    version = versions.VersionField()
    decision_number = forms.CharField(label="Số quyết định", max_length=60)
    decided_on = forms.DateField(label="Ngày quyết định", widget=DAY)
    deciding_org = forms.TypedChoiceField(label="Cấp ủy quyết định", coerce=int)

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        ids = [int(part) for part in case.branch_path.strip("/").split("/")[:-1]]
        above = Organization.unscoped.filter(pk__in=ids)
        above = sorted(above, key=lambda org: len(org.path), reverse=True)  # nearest first
        self.fields["deciding_org"].choices = [(org.pk, org.name) for org in above]
        self.orgs = {org.pk: org for org in above}


class ComplaintForm(forms.Form):
    version = versions.VersionField()
    on = forms.DateField(label="Ngày nhận đơn", widget=DAY)
    content = forms.CharField(label="Nội dung khiếu nại", max_length=4000, widget=TEXT)


class AnswerForm(forms.Form):
    version = versions.VersionField()
    on = forms.DateField(label="Ngày giải quyết", widget=DAY)
    content = forms.CharField(
        label="Nội dung giải quyết (giữ nguyên quyết định)", max_length=4000, widget=TEXT
    )


class CloseForm(forms.Form):
    version = versions.VersionField()
    reason = forms.CharField(
        label="Lý do", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
