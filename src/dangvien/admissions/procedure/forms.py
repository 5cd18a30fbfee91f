"""Forms of the admission file: a document or vote of its checklist, the admission decision, the
ceremony, the decision's annulment. They parse input; the services apply the rules."""

from django import forms

from dangvien.admissions.models import AdmissionStepKind
from dangvien.admissions.shared.forms import (
    correction_reason_field,
    date_field,
    note_field,
    reason_field,
    text_field,
)
from dangvien.core.decisions import Decision
from dangvien.core.versions import VersionField


class StepForm(forms.Form):
    """One step of the file: a document (date, number, body) or a vote (with its figures).
    Over-age and low-schooling candidates need an exception at the branch vote."""

    done_on = date_field("Ngày")
    document_number = text_field("Số văn bản", 60)
    body = text_field("Cơ quan, người ký")
    votes_for = forms.IntegerField(label="Số tán thành", min_value=0, required=False)
    votes_total = forms.IntegerField(
        label="Tổng số có quyền biểu quyết", min_value=1, required=False
    )
    note = note_field("Ghi chú")
    correction_reason = correction_reason_field()
    exception_reason = note_field("Lý do ngoại lệ (nếu có)")
    exception_document = text_field(
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
    effective_on = date_field("Ngày ký quyết định kết nạp", help_text="Là ngày vào Đảng.")
    decision_body = forms.CharField(label="Cấp ủy ra quyết định", max_length=200)

    def decision(self) -> Decision:
        data = self.cleaned_data
        return Decision(
            effective_on=data["effective_on"],
            number=data["decision_number"],
            body=data["decision_body"],
        )


class CeremonyForm(forms.Form):
    done_on = date_field("Ngày tổ chức lễ kết nạp")
    note = note_field("Ghi chú")
    exception_reason = note_field("Lý do tổ chức muộn (nếu quá hạn)")
    exception_document = text_field("Văn bản đồng ý của cấp ủy cấp trên")


class AnnulAdmissionForm(forms.Form):
    reason = reason_field("Lý do hủy quyết định kết nạp")
