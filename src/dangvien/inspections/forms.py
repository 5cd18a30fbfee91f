"""The forms of the inspection pages: a new activity, its progress, its conclusion."""

from django import forms

from dangvien.core import versions
from dangvien.core.forms import ScopedForm
from dangvien.core.scope import visible
from dangvien.inspections.models import (
    Activity,
    Body,
    Conclusion,
    DenunciationResult,
    DenunciationStatus,
    InspectionForm,
    PetitionKind,
    PetitionStatus,
)
from dangvien.inspections.services import InspectionDecision
from dangvien.members.models import Member
from dangvien.organizations.models import Organization

DAY = forms.DateInput(attrs={"placeholder": "dd/mm/yyyy"})


class SubjectCodeMixin:
    """`subject_code`: a member's or an organisation's code, looked up in what the user sees."""

    def clean_subject_code(self):
        code = self.cleaned_data["subject_code"].strip()
        member = visible(self.user, Member).filter(code=code).first()
        org = visible(self.user, Organization).filter(code=code).first()
        if member is not None and org is not None:
            raise forms.ValidationError(f"Mã {code} vừa là mã đảng viên vừa là mã tổ chức.")
        if member is None and org is None:
            raise forms.ValidationError(f"Không tìm thấy đảng viên hay tổ chức mã {code}.")
        self.subject = member or org
        return code


class ActivityForm(SubjectCodeMixin, ScopedForm):
    """A new activity of `body`: who carries it out, what, on whom (a member's or an
    organisation's code, looked up in what the user sees) and the decision that starts it."""

    service_fields = {"subject": "subject_code"}  # the service's refusals, on the field typed

    conducted_by = forms.ChoiceField(label="Cơ quan tiến hành", choices=Body.choices)
    activity = forms.ChoiceField(label="Hoạt động", choices=Activity.choices)
    form = forms.ChoiceField(label="Hình thức", choices=InspectionForm.choices)
    subject_code = forms.CharField(
        label="Mã đối tượng",
        max_length=40,
        help_text="Mã đảng viên hoặc mã tổ chức đảng cấp dưới được kiểm tra, giám sát.",
    )
    decision_number = forms.CharField(label="Số quyết định, kế hoạch", max_length=60)
    decided_on = forms.DateField(label="Ngày quyết định", widget=DAY)
    due_on = forms.DateField(
        label="Hạn kết thúc",
        required=False,
        widget=DAY,
        help_text="Để trống: theo bộ quy tắc (số ngày làm việc kể từ ngày quyết định).",
    )
    content = forms.CharField(label="Nội dung", widget=forms.Textarea(attrs={"rows": 2}))
    period = forms.CharField(label="Thời kỳ kiểm tra, giám sát", max_length=200, required=False)
    team = forms.CharField(
        label="Đoàn, tổ kiểm tra, giám sát",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    planned = forms.ChoiceField(label="Theo chương trình", required=False)

    def __init__(self, *args, body: Organization, open_items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.body = body
        self.items = {str(item.pk): item for item in open_items}
        self.fields["planned"].choices = [
            ("", "— Ngoài chương trình —"),
            *(
                (
                    pk,
                    f"Năm {item.plan.year}, {item.plan.get_conducted_by_display().lower()}: {item}",
                )
                for pk, item in self.items.items()
            ),
        ]

    def decision(self) -> InspectionDecision:
        data = self.cleaned_data
        return InspectionDecision(
            body=self.body,
            conducted_by=data["conducted_by"],
            activity=data["activity"],
            form=data["form"],
            number=data["decision_number"].strip(),
            decided_on=data["decided_on"],
            content=data["content"].strip(),
            period=data["period"].strip(),
            team=data["team"].strip(),
            due_on=data["due_on"],
            planned=self.items.get(data["planned"]),
        )


class ProgressForm(forms.Form):
    """The steps before and after the conclusion, as the team records them; `version` the one
    the page showed (two people saving at once: the second sees what the first changed)."""

    version = versions.VersionField()

    team = forms.CharField(
        label="Đoàn, tổ kiểm tra, giám sát",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    self_report = forms.CharField(
        label="Báo cáo tự kiểm tra, giải trình của đối tượng",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    findings = forms.CharField(
        label="Kết quả thẩm tra, xác minh",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    follow_up = forms.CharField(
        label="Kết quả khắc phục sau kết luận",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ConcludeForm(forms.Form):
    conclusion = forms.ChoiceField(
        label="Kết luận",
        choices=[c for c in Conclusion.choices if c[0] != Conclusion.PENDING],
    )
    concluded_on = forms.DateField(label="Ngày kết luận", widget=DAY)
    remedies = forms.CharField(
        label="Yêu cầu khắc phục, hình thức xử lý đề nghị",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DenunciationForm(SubjectCodeMixin, ScopedForm):
    received_on = forms.DateField(label="Ngày nhận đơn", widget=DAY)
    denouncer_name = forms.CharField(
        label="Người tố cáo",
        max_length=200,
        required=False,
        help_text="Để trống nếu đơn nặc danh (không thụ lý như một đơn tố cáo).",
    )
    denouncer_contact = forms.CharField(
        label="Địa chỉ, liên hệ người tố cáo", max_length=300, required=False
    )
    subject_code = forms.CharField(
        label="Mã đối tượng bị tố cáo",
        max_length=40,
        help_text="Mã đảng viên hoặc mã tổ chức đảng.",
    )
    content = forms.CharField(label="Nội dung tố cáo", widget=forms.Textarea(attrs={"rows": 4}))


class DenunciationDecisionForm(forms.Form):
    status = forms.ChoiceField(
        label="Giải quyết",
        choices=[
            (DenunciationStatus.CONCLUDED, "Kết luận"),
            (DenunciationStatus.NOT_HANDLED, "Không thụ lý"),
        ],
    )
    result = forms.ChoiceField(
        label="Kết quả (khi kết luận)",
        required=False,
        choices=[("", "—"), *DenunciationResult.choices],
    )
    decided_on = forms.DateField(label="Ngày", widget=DAY)
    conclusion = forms.CharField(
        label="Kết luận, lý do không thụ lý", widget=forms.Textarea(attrs={"rows": 3})
    )


class PlanForm(forms.Form):
    conducted_by = forms.ChoiceField(label="Cơ quan tiến hành", choices=Body.choices)
    year = forms.IntegerField(label="Năm", min_value=1930, max_value=2200)
    number = forms.CharField(label="Số chương trình", max_length=60, required=False)
    adopted_on = forms.DateField(label="Ngày ban hành", required=False, widget=DAY)


class ItemForm(forms.Form):
    activity = forms.ChoiceField(label="Hoạt động", choices=Activity.choices)
    form = forms.ChoiceField(label="Hình thức", choices=InspectionForm.choices)
    subject = forms.CharField(
        label="Đối tượng",
        max_length=300,
        help_text="Tổ chức, đảng viên hoặc nhóm đối tượng (ví dụ: 3 chi bộ trực thuộc).",
    )
    content = forms.CharField(label="Nội dung", widget=forms.Textarea(attrs={"rows": 2}))
    timing = forms.CharField(label="Thời gian", max_length=100, required=False)
    due_on = forms.DateField(label="Hạn thực hiện", required=False, widget=DAY)
    team = forms.CharField(label="Người, bộ phận thực hiện", max_length=200, required=False)


class PetitionForm(forms.Form):
    received_on = forms.DateField(label="Ngày nhận", widget=DAY)
    sender = forms.CharField(label="Người gửi", max_length=200)
    sender_address = forms.CharField(label="Địa chỉ người gửi", max_length=300, required=False)
    kind = forms.ChoiceField(label="Loại đơn", choices=PetitionKind.choices)
    topic = forms.CharField(label="Về việc", max_length=300)
    content = forms.CharField(label="Nội dung", widget=forms.Textarea(attrs={"rows": 4}))


class ForwardForm(ScopedForm):
    to_code = forms.CharField(label="Mã tổ chức giải quyết", max_length=40)
    on = forms.DateField(label="Ngày chuyển", widget=DAY)
    note = forms.CharField(label="Lý do chuyển", widget=forms.Textarea(attrs={"rows": 2}))

    def clean_to_code(self):
        code = self.cleaned_data["to_code"].strip()
        self.to = visible(self.user, Organization, "manage_orgs").filter(code=code).first()
        if self.to is None:
            raise forms.ValidationError(f"Không tìm thấy tổ chức mã {code} trong phạm vi quản lý.")
        return code


class AnswerForm(forms.Form):
    status = forms.ChoiceField(
        label="Giải quyết",
        choices=[
            (PetitionStatus.ANSWERED, "Trả lời người gửi"),
            (PetitionStatus.CLOSED, "Lưu đơn, không giải quyết"),
        ],
    )
    on = forms.DateField(label="Ngày", widget=DAY)
    text = forms.CharField(
        label="Nội dung trả lời, lý do lưu", widget=forms.Textarea(attrs={"rows": 3})
    )
