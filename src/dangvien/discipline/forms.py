"""The form of a discipline decision recorded by hand (the confirmation page of views.record)."""

from django import forms

from dangvien.core.forms import ReasonForm, ScopedForm
from dangvien.discipline.models import OFFICIAL_FORMS, ComplaintResult, DisciplineForm, StepKind
from dangvien.discipline.services import DisciplineDecision
from dangvien.discipline.steps import Step
from dangvien.discipline.suspensions import SuspensionDecision
from dangvien.organizations.models import Organization


class DecisionEntryForm(ScopedForm):
    """Number, day, form, deciding organisation (the subject's own or one above it) and the
    violation. `forms` are those the subject's kind may receive; `bodies` the organisations that
    may decide, nearest first."""

    decision_number = forms.CharField(label="Số quyết định", max_length=60)
    decided_on = forms.DateField(
        label="Ngày quyết định", widget=forms.DateInput(attrs={"placeholder": "dd/mm/yyyy"})
    )
    form = forms.ChoiceField(label="Hình thức")
    deciding_org = forms.ChoiceField(label="Tổ chức quyết định")
    violation = forms.CharField(label="Nội dung vi phạm", widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, forms_allowed, bodies: list[Organization], **kwargs):
        super().__init__(*args, **kwargs)
        self.bodies = {str(org.pk): org for org in bodies}
        self.fields["form"].choices = [(f, DisciplineForm(f).label) for f in forms_allowed]
        self.fields["deciding_org"].choices = [(pk, org.name) for pk, org in self.bodies.items()]

    def decision(self) -> DisciplineDecision:
        data = self.cleaned_data
        return DisciplineDecision(
            number=data["decision_number"].strip(),
            decided_on=data["decided_on"],
            form=data["form"],
            deciding_org=self.bodies[data["deciding_org"]],
            violation=data["violation"].strip(),
        )


class AnnulForm(ReasonForm):
    """The reason of an annulment and, for an expulsion whose member is still out, the day they
    return (the day they left unless a later one is given)."""

    return_on = forms.DateField(
        label="Sinh hoạt trở lại từ ngày",
        required=False,
        widget=forms.DateInput(attrs={"placeholder": "dd/mm/yyyy"}),
        help_text=(
            "Để trống hoặc ghi ngày ra khỏi Đảng nếu quyết định ghi nhầm (như chưa từng gián "
            "đoạn); ghi một ngày sau nếu quyết định chỉ bị hủy bỏ từ ngày đó: báo cáo của những "
            "ngày trước giữ nguyên như đã lập. Tuổi đảng vẫn liên tục."
        ),
    )

    def __init__(self, *args, returns: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not returns:
            del self.fields["return_on"]


class SuspensionForm(ScopedForm):
    """A suspension of party activity: the decision, the committee above the member's branch
    that took it, the first day and, when the decision gives one, the day it ends."""

    decision_number = forms.CharField(label="Số quyết định", max_length=60)
    deciding_org = forms.ChoiceField(label="Cấp ủy quyết định")
    starts_on = forms.DateField(
        label="Đình chỉ từ ngày", widget=forms.DateInput(attrs={"placeholder": "dd/mm/yyyy"})
    )
    ends_on = forms.DateField(
        label="Sinh hoạt trở lại từ ngày",
        required=False,
        widget=forms.DateInput(attrs={"placeholder": "dd/mm/yyyy"}),
        help_text="Để trống nếu quyết định không ghi thời hạn (kết thúc sau, trên trang này).",
    )
    reason = forms.CharField(label="Lý do", widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, bodies: list[Organization], **kwargs):
        super().__init__(*args, **kwargs)
        self.bodies = {str(org.pk): org for org in bodies}
        self.fields["deciding_org"].choices = [(pk, org.name) for pk, org in self.bodies.items()]

    def decision(self) -> SuspensionDecision:
        data = self.cleaned_data
        return SuspensionDecision(
            number=data["decision_number"].strip(),
            starts_on=data["starts_on"],
            deciding_org=self.bodies[data["deciding_org"]],
            reason=data["reason"],
            ends_on=data["ends_on"],
        )


class SuspensionEndForm(ReasonForm):
    ends_on = forms.DateField(
        label="Sinh hoạt trở lại từ ngày",
        widget=forms.DateInput(attrs={"placeholder": "dd/mm/yyyy"}),
    )


class ComplaintForm(forms.Form):
    handling_org = forms.ChoiceField(label="Cấp giải quyết")
    received_on = forms.DateField(
        label="Ngày nhận đơn", widget=forms.DateInput(attrs={"placeholder": "dd/mm/yyyy"})
    )
    content = forms.CharField(label="Nội dung khiếu nại", widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, bodies: list[Organization], **kwargs):
        super().__init__(*args, **kwargs)
        self.bodies = {str(org.pk): org for org in bodies}
        self.fields["handling_org"].choices = [(pk, org.name) for pk, org in self.bodies.items()]


class ComplaintAnswerForm(forms.Form):
    result = forms.ChoiceField(label="Kết quả", choices=ComplaintResult.choices)
    resolved_on = forms.DateField(
        label="Ngày giải quyết", widget=forms.DateInput(attrs={"placeholder": "dd/mm/yyyy"})
    )
    answer = forms.CharField(label="Nội dung giải quyết", widget=forms.Textarea(attrs={"rows": 3}))


class StepForm(forms.Form):
    kind = forms.ChoiceField(label="Bước", choices=StepKind.choices)
    on = forms.DateField(label="Ngày", widget=forms.DateInput(attrs={"placeholder": "dd/mm/yyyy"}))
    note = forms.CharField(label="Nội dung", widget=forms.Textarea(attrs={"rows": 3}))
    proposed_form = forms.ChoiceField(
        label="Hình thức đề nghị (khi biểu quyết)",
        required=False,
        choices=[("", "—"), *((f.value, f.label) for f in OFFICIAL_FORMS)],
        help_text="Đảng viên dự bị chỉ bị khiển trách, cảnh cáo.",
    )
    voters = forms.IntegerField(label="Số đảng viên biểu quyết", required=False, min_value=0)
    votes_for = forms.IntegerField(label="Số tán thành", required=False, min_value=0)

    def step(self) -> Step:
        return Step(**self.cleaned_data)


class ReceiptForm(forms.Form):
    received_on = forms.DateField(
        label="Ngày đối tượng nhận quyết định",
        widget=forms.DateInput(attrs={"placeholder": "dd/mm/yyyy"}),
        help_text="Hạn khiếu nại tính từ ngày này (số ngày làm việc theo bộ quy tắc).",
    )
    reason = forms.CharField(
        label="Lý do sửa (khi đã ghi một ngày khác)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
