"""Forms of the party-development pages: they parse input; the rules live in the services."""

from django import forms
from django.utils import timezone

from dangvien.admissions.models import AdmissionStepKind, Candidate
from dangvien.admissions.services.candidates import CANDIDATE_FIELDS
from dangvien.core.decisions import Decision
from dangvien.core.forms import OrgCodeField, ScopedForm
from dangvien.core.roles import Capability
from dangvien.core.versions import VersionField

DATE_HELP = "Ngày/tháng/năm, ví dụ 15/03/2026."


def _date(label: str, required: bool = True, **kwargs) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        widget=forms.DateInput(attrs={"placeholder": "dd/mm/yyyy"}, format="%d/%m/%Y"),
        **kwargs,
    )


def _text(label: str, max_length: int = 200, **kwargs) -> forms.CharField:
    return forms.CharField(label=label, max_length=max_length, required=False, **kwargs)


def _note(label: str, required: bool = False) -> forms.CharField:
    return forms.CharField(label=label, required=required, widget=forms.Textarea(attrs={"rows": 2}))


class CandidateForm(forms.ModelForm):
    """The candidate's own data, as the application and personal history (1-KNĐ, 2-KNĐ) carry
    it; it becomes the member record on admission."""

    class Meta:
        model = Candidate
        fields = CANDIDATE_FIELDS
        labels = {"general_education": "Giáo dục phổ thông (ví dụ 12/12)"}

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
    selected_on = _date("Ngày đưa vào nguồn kết nạp", help_text=DATE_HELP)

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
    attended_on = _date("Ngày cấp giấy chứng nhận", help_text=DATE_HELP)
    certificate_number = _text("Số giấy chứng nhận", 60)
    organiser = _text("Nơi tổ chức lớp")


class IntroducerForm(ScopedForm):
    """An official member assigned to help the candidate, chosen by member code."""

    service_fields = {"member": "member_code"}

    member_code = forms.CharField(
        label="Mã đảng viên",
        max_length=40,
        widget=forms.TextInput(attrs={"list": "introducer-codes", "autocomplete": "off"}),
        help_text="Đảng viên chính thức cùng công tác, học tập hoặc cư trú với quần chúng.",
    )
    assigned_on = _date("Ngày phân công giúp đỡ")
    together_since = _date("Cùng công tác, học tập hoặc cư trú từ ngày")

    def clean(self):
        from dangvien.admissions.selectors import member_by_code

        data = super().clean()
        code = data.get("member_code")
        if code:
            data["member"] = member_by_code(self.user, code)
            if data["member"] is None:
                self.add_error(
                    "member_code", "Không tìm thấy đảng viên có mã này trong phạm vi của bạn."
                )
        return data


class IntroductionForm(forms.Form):
    introduced_on = _date("Ngày viết giấy giới thiệu (mẫu 3-KNĐ)")


def correction_reason_field() -> forms.CharField:
    """On a vote's form: filled in, the vote corrects the figures of the last attempt, typed
    wrong, instead of counting as a new attempt (services.common.check_vote_attempt)."""
    return forms.CharField(
        label="Lý do sửa lần biểu quyết vừa ghi",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Chỉ điền khi lần biểu quyết trước ghi nhầm số liệu: lần đó được sửa, không "
        "tính thêm một lần biểu quyết. Để trống khi ghi một lần biểu quyết mới.",
    )


class StepForm(forms.Form):
    """One step of the file: a document (date, number, body) or a vote (with its figures).
    Over-age and low-schooling candidates need an exception at the branch vote."""

    done_on = _date("Ngày")
    document_number = _text("Số văn bản", 60)
    body = _text("Cơ quan, người ký")
    votes_for = forms.IntegerField(label="Số tán thành", min_value=0, required=False)
    votes_total = forms.IntegerField(
        label="Tổng số có quyền biểu quyết", min_value=1, required=False
    )
    note = _note("Ghi chú")
    correction_reason = correction_reason_field()
    exception_reason = _note("Lý do ngoại lệ (nếu có)")
    exception_document = _text(
        "Văn bản cho phép ngoại lệ",
        help_text="Quá tuổi tối đa: văn bản đồng ý của ban thường vụ tỉnh ủy; trình độ dưới THCS: "
        "căn cứ vùng cao, vùng sâu, vùng đồng bào dân tộc thiểu số.",
    )

    version = VersionField()  # the version of the step the page showed (core/versions.py)

    VOTE_FIELDS = ("votes_for", "votes_total")
    EXCEPTION_FIELDS = ("exception_reason", "exception_document")

    def __init__(self, *args, kind: str, **kwargs):
        kwargs.setdefault("auto_id", f"id_{kind}_%s")  # one form per step on the page
        super().__init__(*args, **kwargs)
        self.kind = kind
        if kind not in (AdmissionStepKind.BRANCH_VOTE, AdmissionStepKind.COMMITTEE_VOTE):
            for name in (*self.VOTE_FIELDS, "correction_reason"):
                del self.fields[name]
        if kind != AdmissionStepKind.BRANCH_VOTE:
            for name in self.EXCEPTION_FIELDS:
                del self.fields[name]

    def step_values(self) -> dict:
        data = self.cleaned_data
        return {
            "on": data["done_on"],
            "document_number": data.get("document_number", ""),
            "body": data.get("body", ""),
            "votes_for": data.get("votes_for"),
            "votes_total": data.get("votes_total"),
            "note": data.get("note", ""),
            "exception_reason": data.get("exception_reason", ""),
            "exception_document": data.get("exception_document", ""),
            "correction_reason": data.get("correction_reason", ""),
            "expected_version": data.get("version", ""),
        }


class AdmitForm(forms.Form):
    """The admission decision (9-KNĐ): it creates the member record."""

    code = forms.CharField(label="Mã đảng viên", max_length=40)
    decision_number = forms.CharField(label="Số quyết định", max_length=60)
    effective_on = _date("Ngày ký quyết định kết nạp", help_text="Là ngày vào Đảng.")
    decision_body = forms.CharField(label="Cấp ủy ra quyết định", max_length=200)

    def decision(self) -> Decision:
        data = self.cleaned_data
        return Decision(
            effective_on=data["effective_on"],
            number=data["decision_number"],
            body=data["decision_body"],
        )


class CeremonyForm(forms.Form):
    done_on = _date("Ngày tổ chức lễ kết nạp")
    note = _note("Ghi chú")
    exception_reason = _note("Lý do tổ chức muộn (nếu quá hạn)")
    exception_document = _text("Văn bản đồng ý của cấp ủy cấp trên")


def _reason(label: str) -> forms.CharField:
    """The reason of a final action or of its undoing: required by the service, with its own
    message (the confirmation page marks it required)."""
    return forms.CharField(
        label=label, required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class WithdrawForm(forms.Form):
    reason = _reason("Lý do dừng xem xét")


class ReopenForm(forms.Form):
    reason = _reason("Lý do tiếp tục xem xét")


class AnnulAdmissionForm(forms.Form):
    reason = _reason("Lý do hủy quyết định kết nạp")


class RemoveIntroducerForm(forms.Form):
    reason = _reason("Lý do bỏ phân công")


class ReplaceIntroducerForm(IntroducerForm):
    """Another official member in place of one assigned (before the branch votes)."""

    reason = _reason("Lý do thay người giúp đỡ")


class CorrectIntroductionForm(forms.Form):
    introduced_on = _date("Ngày đúng của giấy giới thiệu (mẫu 3-KNĐ)", help_text=DATE_HELP)
    reason = _reason("Lý do sửa ngày")


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
