"""Forms of the transfer pages; the rules live in transfers/services.py."""

from django import forms

from dangvien.core.forms import ReasonForm, ScopedForm
from dangvien.core.roles import Capability
from dangvien.members.models import ConflictKind
from dangvien.members.rules import CITIZEN_ID
from dangvien.organizations.forms import OrgCodeField
from dangvien.organizations.models import Organization
from dangvien.transfers.identify import PAPERS
from dangvien.transfers.models import TransferKind
from dangvien.transfers.services.records import NO_SUCH_BRANCH

DATE_ATTRS = {"placeholder": "dd/mm/yyyy"}


def _date(label: str, required: bool = True, help_text: str = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.DateInput(attrs=DATE_ATTRS),
    )


class IssueLetterForm(ScopedForm):
    """The introduction letter: to a branch of the system (any officer's: the receiving side
    confirms) or to a party organisation outside it."""

    kind = forms.ChoiceField(label="Loại chuyển sinh hoạt", choices=TransferKind.choices)
    to_code = forms.CharField(
        label="Mã chi bộ chuyển đến",
        max_length=40,
        required=False,
        help_text="Chi bộ nhận đảng viên trong hệ thống (có thể thuộc cấp ủy khác).",
    )
    outside_destination = forms.CharField(
        label="Nơi chuyển đến ngoài hệ thống",
        max_length=255,
        required=False,
        help_text="Chỉ ghi khi chuyển đến tổ chức đảng ngoài hệ thống.",
    )
    trigger_on = _date(
        "Ngày phát sinh việc chuyển",
        help_text="Ngày nhận công tác mới, nghỉ hưu, thôi việc, xuất ngũ hoặc chuyển nơi ở.",
    )
    letter_issued_on = _date("Ngày cấp giấy giới thiệu")
    letter_number = forms.CharField(label="Số giấy giới thiệu", max_length=60, required=False)
    temporary_until = _date(
        "Sinh hoạt tạm thời đến ngày", required=False, help_text="Chỉ với chuyển tạm thời."
    )
    late_explanation = forms.CharField(
        label="Giải trình (nếu quá hạn 60 ngày làm việc)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    service_fields = {"to_branch": "to_code"}

    def clean(self):
        data = super().clean()
        code = (data.get("to_code") or "").strip()
        data["to_branch"] = None
        if code:
            data["to_branch"] = Organization.unscoped.filter(code=code).first()
            if data["to_branch"] is None:
                self.add_error("to_code", NO_SUCH_BRANCH)  # as for a branch not seen
        return data


class ArrivalForm(forms.Form):
    arrived_on = _date("Ngày đảng viên đến sinh hoạt")
    late_explanation = forms.CharField(
        label="Giải trình (nếu quá hạn xuất trình giấy)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ReceiveForm(ScopedForm):
    """A member coming from a party organisation outside the system, into a branch the officer
    manages (transfers.services.receive_from_outside)."""

    to_code = OrgCodeField(label="Mã chi bộ tiếp nhận")
    arrived_on = _date("Ngày đến sinh hoạt")
    outside_origin = forms.CharField(
        label="Nơi chuyển đi (tổ chức đảng ngoài hệ thống)", max_length=255
    )
    letter_number = forms.CharField(label="Số giấy giới thiệu", max_length=60, required=False)
    letter_issued_on = _date("Ngày cấp giấy giới thiệu", required=False)
    service_fields = {"to_branch": "to_code", "origin": "outside_origin"}

    def clean(self):
        data = super().clean()
        data["to_branch"] = self.resolve_org("to_code", Capability.MANAGE_MEMBERS)
        return data


class IdentifyForm(forms.Form):
    """The papers of a member coming back from outside the system, whose record another officer
    kept (transfers.identify): a number and the date of birth, both matched exactly."""

    paper = forms.ChoiceField(label="Giấy tờ", choices=list(PAPERS.items()))
    number = forms.CharField(label="Số", max_length=30)
    birth_date = _date("Ngày sinh")

    def clean(self):
        data = super().clean()
        number = (data.get("number") or "").strip()
        if data.get("paper") == ConflictKind.CITIZEN_ID and not CITIZEN_ID.match(number):
            self.add_error("number", "Số CCCD phải gồm đúng 12 chữ số.")
        data["number"] = number
        return data


class ReturnForm(forms.Form):
    returned_on = _date("Ngày trở về sinh hoạt ở chi bộ nơi đi")


__all__ = [
    "ArrivalForm",
    "IdentifyForm",
    "IssueLetterForm",
    "ReasonForm",
    "ReceiveForm",
    "ReturnForm",
]
