"""Forms of the probation review: a document or vote of the review, the decision recognising or
striking off, the ceremony date. They parse input; the services apply every rule."""

from django import forms

from dangvien.admissions.models import RecognitionStepKind
from dangvien.admissions.probation.services import VOTES
from dangvien.admissions.shared.forms import correction_reason_field
from dangvien.core.forms import DecisionForm, ScopedForm
from dangvien.core.versions import VersionField

Kind = RecognitionStepKind
# Steps recorded one by one; the decisions have their own forms.
RECORDABLE = (
    Kind.SELF_REVIEW,
    Kind.INTRODUCER_OPINION,
    Kind.MASS_ORG_COMMENT,
    Kind.BRANCH_VOTE,
    Kind.COMMITTEE_VOTE,
    Kind.STRIKE_OFF_VOTE,
)


class RecognitionStepForm(ScopedForm):
    """A document or a vote of the review at the end of probation (prefixed by its kind, so that
    every step of the checklist has its own form on one page)."""

    done_on = forms.DateField(label="Ngày")
    document_number = forms.CharField(label="Số văn bản", max_length=60, required=False)
    body = forms.CharField(label="Cơ quan, người ký", max_length=200, required=False)
    votes_for = forms.IntegerField(label="Số tán thành", min_value=0, required=False)
    votes_total = forms.IntegerField(
        label="Tổng số có quyền biểu quyết", min_value=1, required=False
    )
    note = forms.CharField(
        label="Ghi chú", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    correction_reason = correction_reason_field()
    version = VersionField()  # the version of the step the page showed (core/versions.py)

    def __init__(self, *args, kind: str, **kwargs):
        kwargs.setdefault("prefix", kind)
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.fields["done_on"].widget.attrs["placeholder"] = "dd/mm/yyyy"
        if kind in VOTES:
            self.fields["done_on"].label = "Ngày biểu quyết"
            self.fields["document_number"].label = "Số nghị quyết"
            self.fields["body"].label = "Chi bộ, cấp ủy biểu quyết"
            for name in ("votes_for", "votes_total"):
                self.fields[name].required = True
        else:
            self.fields["done_on"].label = "Ngày của văn bản"
            del self.fields["votes_for"], self.fields["votes_total"]
            del self.fields["correction_reason"]

    def values(self) -> dict:
        data = self.cleaned_data
        return {
            "on": data["done_on"],
            "document_number": data.get("document_number", ""),
            "body": data.get("body", ""),
            "votes_for": data.get("votes_for"),
            "votes_total": data.get("votes_total"),
            "note": data.get("note", ""),
            "correction_reason": data.get("correction_reason", ""),
            "expected_version": data.get("version", ""),
        }


class ProbationDecisionForm(DecisionForm):
    """The decision recognising the member, or striking the name off (number, date, body)."""

    def __init__(self, *args, reason_label: str = "Ghi chú", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["effective_on"].required = True
        self.fields["effective_on"].label = "Ngày ký quyết định"
        self.fields["effective_on"].widget.attrs["placeholder"] = "dd/mm/yyyy"
        self.fields["decision_number"].required = True
        self.fields["decision_body"].label = "Cấp ủy quyết định"
        self.fields["reason"].label = reason_label


class CeremonyDateForm(forms.Form):
    """The admission ceremony's date on the probation review: recorded where the record has
    none, corrected with a reason (the service requires it for a correction)."""

    ceremony_on = forms.DateField(label="Ngày lễ kết nạp")
    reason = forms.CharField(
        label="Lý do sửa, căn cứ",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    version = VersionField()  # the record as the page showed it (core/versions.py)

    def __init__(self, *args, correcting: bool = False, **kwargs):
        kwargs.setdefault("prefix", "ceremony")
        super().__init__(*args, **kwargs)
        self.fields["ceremony_on"].widget.attrs["placeholder"] = "dd/mm/yyyy"
        self.fields["reason"].required = correcting  # marked; the service decides
        if not correcting:
            self.fields["reason"].label = "Căn cứ (biên bản lễ kết nạp…)"
