"""Forms of the candidate pool: a candidate's data, the awareness class, a move to another
branch, stopping and resuming consideration. They parse input; the services apply the rules."""

from django import forms
from django.utils import timezone

from dangvien.admissions.candidates.services import CANDIDATE_FIELDS
from dangvien.admissions.models import Candidate
from dangvien.admissions.shared.forms import DATE_HELP, date_field, reason_field, text_field
from dangvien.core.forms import ScopedForm
from dangvien.core.roles import Capability
from dangvien.core.versions import VersionField
from dangvien.organizations.forms import OrgCodeField


class CandidateForm(forms.ModelForm):
    """The candidate's own data, as the application and personal history (1-KNĐ, 2-KNĐ) carry
    it; it becomes the member record on admission."""

    class Meta:
        model = Candidate
        fields = CANDIDATE_FIELDS
        labels = {"general_education": "Giáo dục phổ thông (ví dụ 12/12, hệ 10 năm 7/10)"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["birth_date"].widget = forms.DateInput(
            attrs={"placeholder": "dd/mm/yyyy"}, format="%d/%m/%Y"
        )
        self.fields["citizen_id"].required = False
        for name in ("qualification", "political_theory"):
            self.fields[name].choices = [("", "(không có)"), *self.fields[name].choices[1:]]
        for name, field in self.fields.items():
            if name != "youth_union_member":
                field.label = field.label[:1].upper() + field.label[1:]

    version = VersionField()

    def _post_clean(self):
        """Skip the model's own validation: the service applies every rule (one place)."""

    def values(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in CANDIDATE_FIELDS}


class NewCandidateForm(CandidateForm):
    """A candidate entering the pool of a branch the user manages."""

    branch_code = OrgCodeField(
        label="Mã chi bộ",
        help_text="Chi bộ nơi quần chúng công tác, học tập (trong phạm vi bạn quản lý).",
    )
    selected_on = date_field("Ngày đưa vào nguồn kết nạp", help_text=DATE_HELP)

    field_order = ["branch_code", "selected_on", *CANDIDATE_FIELDS]
    service_fields = {"organization": "branch_code"}
    version = None  # a new record has no version yet

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        self.fields["selected_on"].initial = timezone.localdate().strftime("%d/%m/%Y")

    def clean(self):
        data = super().clean()
        code = data.get("branch_code")
        if code:
            from dangvien.organizations.selectors import visible_orgs

            branch = visible_orgs(self.user, Capability.MANAGE_MEMBERS).filter(code=code.strip())
            data["organization"] = branch.first()
            if data["organization"] is None:
                self.add_error(
                    "branch_code", "Không tìm thấy chi bộ có mã này trong phạm vi quản lý của bạn."
                )
        return data


class AwarenessClassForm(forms.Form):
    attended_on = date_field("Ngày cấp giấy chứng nhận", help_text=DATE_HELP)
    certificate_number = text_field("Số giấy chứng nhận", 60)
    organiser = text_field("Nơi tổ chức lớp")


class WithdrawForm(forms.Form):
    reason = reason_field("Lý do dừng xem xét")


class ReopenForm(forms.Form):
    reason = reason_field("Lý do tiếp tục xem xét")


class MoveForm(ScopedForm):
    """Another branch the user manages, for a candidate who moved (before the branch's vote)."""

    service_fields = {"branch": "branch_code"}

    branch_code = OrgCodeField(
        label="Mã chi bộ mới",
        help_text="Chi bộ nơi quần chúng nay công tác, học tập (trong phạm vi bạn quản lý).",
    )

    def clean(self):
        data = super().clean()
        data["organization"] = self.resolve_org("branch_code", Capability.MANAGE_MEMBERS)
        return data
