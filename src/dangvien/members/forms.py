from django import forms

from dangvien.core.forms import DecisionForm, OrgCodeField, ScopedForm
from dangvien.core.versions import VersionField
from dangvien.members.models import LEFT_STATUSES, Member, Status
from dangvien.members.services import RECORD_FIELDS

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
    status = forms.ChoiceField(
        label="Hình thức", choices=[(s.value, s.label) for s in Status if s in LEFT_STATUSES]
    )
    field_order = ["status", "effective_on"]


class PhotoForm(forms.Form):
    photo = forms.FileField(label="Ảnh 3×4 (JPEG, PNG)")


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
    "ScopedForm",
    "TransferForm",
]
