"""The forms of the committee pages: a term opened or corrected, a seat recorded, corrected or
ended."""

from django import forms

from dangvien.committees.models import Body, Chosen, Post
from dangvien.committees.services import SeatPlan
from dangvien.committees.terms import TermPlan
from dangvien.core import versions

DAY = forms.DateInput(attrs={"placeholder": "dd/mm/yyyy"})
REASON = forms.Textarea(attrs={"rows": 2})


class TermForm(forms.Form):
    version = versions.VersionField()
    label = forms.CharField(
        label="Nhiệm kỳ", max_length=40, help_text="Ví dụ «2025–2030» (chi bộ: «2025–2027»)."
    )
    congress_on = forms.DateField(label="Ngày đại hội", widget=DAY)
    starts_on = forms.DateField(
        label="Bắt đầu nhiệm kỳ", widget=DAY, required=False, help_text="Để trống: ngày đại hội."
    )
    note = forms.CharField(label="Ghi chú", required=False, widget=REASON)

    def plan(self) -> TermPlan:
        data = self.cleaned_data
        return TermPlan(
            label=data["label"],
            congress_on=data["congress_on"],
            starts_on=data["starts_on"],
            note=data["note"],
        )


class TermCorrectionForm(TermForm):
    reason = forms.CharField(label="Lý do sửa", max_length=2000, widget=REASON)


def term_initial(term) -> dict:
    return {
        "version": versions.token(term),
        "label": term.label,
        "congress_on": term.congress_on,
        "starts_on": term.starts_on,
        "note": term.note,
    }


class SeatForm(forms.Form):
    """A seat: the member by code, the body and post, how chosen, and the approval."""

    version = versions.VersionField()
    member_code = forms.CharField(label="Mã đảng viên", max_length=40)
    body = forms.ChoiceField(label="Cơ quan", choices=Body.choices, initial=Body.COMMITTEE)
    post = forms.ChoiceField(label="Chức vụ", choices=Post.choices)
    chosen = forms.ChoiceField(label="Hình thức", choices=Chosen.choices, initial=Chosen.CONGRESS)
    elected_on = forms.DateField(label="Ngày bầu, chỉ định", widget=DAY)
    approved_on = forms.DateField(label="Ngày chuẩn y", widget=DAY, required=False)
    approval_number = forms.CharField(label="Số quyết định chuẩn y", max_length=60, required=False)
    approval_body = forms.CharField(label="Cơ quan chuẩn y", max_length=200, required=False)
    service_fields = {"member": "member_code"}

    def plan(self) -> SeatPlan:
        data = self.cleaned_data
        return SeatPlan(
            body=data["body"],
            post=data["post"],
            chosen=data["chosen"],
            elected_on=data["elected_on"],
            approved_on=data["approved_on"],
            approval_number=data["approval_number"],
            approval_body=data["approval_body"],
        )


class SeatCorrectionForm(SeatForm):
    reason = forms.CharField(label="Lý do sửa", max_length=2000, widget=REASON)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["member_code"]


def seat_initial(seat) -> dict:
    return {
        "version": versions.token(seat),
        "body": seat.body,
        "post": seat.post,
        "chosen": seat.chosen,
        "elected_on": seat.elected_on,
        "approved_on": seat.approved_on,
        "approval_number": seat.approval_number,
        "approval_body": seat.approval_body,
    }


class EndForm(forms.Form):
    ended_on = forms.DateField(label="Ngày thôi giữ chức vụ", widget=DAY)
    reason = forms.CharField(label="Lý do", max_length=2000, widget=REASON, required=False)
