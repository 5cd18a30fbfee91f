from django import forms

from dangvien.core.forms import DecisionForm, ScopedForm
from dangvien.core.versions import VersionField
from dangvien.members.models import LEFT_STATUSES, Member, Status
from dangvien.members.services import RECORD_FIELDS
from dangvien.organizations.forms import OrgCodeField

DATE_FIELDS = {"birth_date", "admitted_on", "official_on", "card_issued_on"}


class MemberRecordForm(forms.ModelForm):
    """The fields of the member record an officer enters or corrects."""

    exception_reason = forms.CharField(
        label="Lý do ngoại lệ (nếu có)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Chỉ khi quy định cho phép ngoại lệ, ví dụ kết nạp trên 60 tuổi có văn bản "
        "đồng ý của ban thường vụ tỉnh ủy.",
    )

    class Meta:
        model = Member
        fields = RECORD_FIELDS
        widgets = {
            "work_history": forms.Textarea(attrs={"rows": 4}),
            "family_notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in DATE_FIELDS:
            self.fields[name].widget.attrs["placeholder"] = "dd/mm/yyyy"
        for name in ("citizen_id", "card_number"):
            self.fields[name].required = False
        for field in self.fields.values():  # not Django's "---------" for an empty choice
            if isinstance(field, forms.TypedChoiceField) and field.choices:
                value, _label = field.choices[0]
                if value == "":
                    field.choices = [("", "— chưa có —"), *field.choices[1:]]

    def _post_clean(self):
        """Skip the model's own validation: the service applies every rule (one place)."""

    def values(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in RECORD_FIELDS}


class CreateMemberForm(MemberRecordForm):
    code = forms.CharField(label="Mã đảng viên", max_length=40)
    branch_code = OrgCodeField(label="Mã chi bộ")

    field_order = ["code", "branch_code", *RECORD_FIELDS]


class EditMemberForm(MemberRecordForm):
    reason = forms.CharField(
        label="Lý do, căn cứ sửa đổi", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    version = VersionField()


class TransferForm(DecisionForm):
    branch_code = OrgCodeField(label="Mã chi bộ chuyển đến")
    field_order = ["branch_code", "effective_on"]

    def clean(self):
        data = super().clean()
        data["branch"] = self.resolve_org("branch_code", "manage_members")
        return data


class LeaveForm(DecisionForm):
    """Resignation, removal or death (a confirmation page): the reason is required."""

    status = forms.ChoiceField(
        label="Hình thức",
        # Khai trừ is recorded as a discipline decision (discipline.views), not here.
        choices=[(s.value, s.label) for s in Status if s in LEFT_STATUSES and s != Status.EXPELLED],
        help_text="Khai trừ: ghi quyết định kỷ luật ở mục «Kỷ luật» của hồ sơ.",
    )
    field_order = ["status", "effective_on", "decision_number", "decision_body", "reason"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["effective_on"].required = True
        self.fields["effective_on"].label = "Ngày của quyết định (ngày từ trần)"
        self.fields["effective_on"].widget.attrs["placeholder"] = "dd/mm/yyyy"
        self.fields["reason"].required = True
        self.fields["reason"].label = "Lý do, căn cứ"


class ReinstateForm(DecisionForm):
    """Undo a leaving (a correction): the day the member is active again and the reason."""

    field_order = ["effective_on", "decision_number", "decision_body", "reason"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["effective_on"].required = True
        self.fields["effective_on"].label = "Sinh hoạt trở lại từ ngày"
        self.fields["effective_on"].widget.attrs["placeholder"] = "dd/mm/yyyy"
        self.fields["effective_on"].help_text = (
            "Ghi ngày ra khỏi Đảng đã ghi nếu việc đó là nhầm (như chưa từng gián đoạn); ghi "
            "một ngày sau nếu quyết định chỉ bị hủy bỏ từ ngày đó."
        )
        self.fields["decision_number"].label = "Số quyết định hủy bỏ (nếu có)"
        self.fields["reason"].required = True
        self.fields["reason"].label = "Lý do hủy"


class PhotoForm(forms.Form):
    """The photo upload; a file cut off for its size (core.uploads.SizeLimitedUploadHandler)
    arrives missing, and is then said to be too large, not missing."""

    photo = forms.FileField(
        label="Ảnh 3×4 (JPEG, PNG)",
        required=False,
        widget=forms.FileInput(attrs={"required": True, "accept": "image/*"}),
        error_messages={"empty": "Tệp ảnh rỗng (0 byte).", "invalid": "Tệp ảnh không đọc được."},
    )

    def __init__(self, *args, too_large: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.too_large = too_large

    def clean_photo(self):
        upload = self.cleaned_data["photo"]
        if self.too_large:
            raise forms.ValidationError(
                "Tệp gửi lên quá lớn (vượt giới hạn một lần tải lên); ảnh không được lớn hơn 2 MB."
            )
        if not upload:
            raise forms.ValidationError("Hãy chọn tệp ảnh để tải lên.")
        return upload


class MemberActionForm(DecisionForm):
    """Recognition, exemption and its end: a decision with a date."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["effective_on"].required = True
        self.fields["effective_on"].label = "Ngày quyết định"


__all__ = [
    "CreateMemberForm",
    "EditMemberForm",
    "LeaveForm",
    "MemberActionForm",
    "PhotoForm",
    "ReinstateForm",
    "ScopedForm",
    "TransferForm",
]


class ReadmitForm(ScopedForm):
    """Re-admission (kết nạp lại, QĐ 294-QĐ/TW §3.5): the decision, the provincial standing
    committee's consent, and what the conditions depend on."""

    decided_on = forms.DateField(label="Ngày quyết định kết nạp lại")
    decision_number = forms.CharField(label="Số quyết định kết nạp lại", max_length=60)
    decision_body = forms.CharField(label="Cơ quan quyết định", max_length=200, required=False)
    ceremony_on = forms.DateField(
        label="Ngày lễ kết nạp lại (nếu đã tổ chức)",
        required=False,
        help_text="Thời gian dự bị 12 tháng tính từ lễ kết nạp lại.",
    )
    consent_number = forms.CharField(
        label="Số văn bản đồng ý của ban thường vụ tỉnh ủy, thành ủy", max_length=60
    )
    consent_on = forms.DateField(label="Ngày văn bản đồng ý")
    record_cleared_on = forms.DateField(
        label="Ngày được xóa án tích (nếu đã bị kết án)",
        required=False,
        help_text="Khi có: chỉ kết nạp lại sau 60 tháng kể từ ngày được xóa án tích.",
    )
    abandoned_activity = forms.BooleanField(
        label="Đã ra khỏi Đảng vì tự bỏ sinh hoạt đảng", required=False
    )
    exception_reason = forms.CharField(
        label="Lý do chính đáng (người đã xin ra khỏi Đảng)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    branch_code = OrgCodeField(label="Mã chi bộ sinh hoạt (để trống: chi bộ cũ)", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("decided_on", "ceremony_on", "consent_on", "record_cleared_on"):
            self.fields[name].widget.attrs["placeholder"] = "dd/mm/yyyy"

    def clean(self):
        data = super().clean()
        data["branch"] = self.resolve_org("branch_code", "manage_members")
        return data


class AnnulReadmissionForm(forms.Form):
    reason = forms.CharField(label="Lý do hủy", widget=forms.Textarea(attrs={"rows": 2}))
