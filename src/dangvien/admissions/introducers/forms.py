"""Forms of the members who help a candidate: assigned by member code, replaced or removed with
a reason, and the introduction letter's date recorded or corrected."""

from django import forms

from dangvien.admissions.introducers.selectors import member_by_code
from dangvien.admissions.shared.forms import DATE_HELP, date_field, reason_field
from dangvien.core.forms import ScopedForm


class IntroducerForm(ScopedForm):
    """An official member assigned to help the candidate, chosen by member code."""

    service_fields = {"member": "member_code"}

    member_code = forms.CharField(
        label="Mã đảng viên",
        max_length=40,
        widget=forms.TextInput(attrs={"list": "introducer-codes", "autocomplete": "off"}),
        help_text="Đảng viên chính thức cùng công tác, học tập hoặc cư trú với quần chúng.",
    )
    assigned_on = date_field("Ngày phân công giúp đỡ")
    together_since = date_field("Cùng công tác, học tập hoặc cư trú từ ngày")

    def clean(self):
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
    introduced_on = date_field("Ngày viết giấy giới thiệu (mẫu 3-KNĐ)")


class RemoveIntroducerForm(forms.Form):
    reason = reason_field("Lý do bỏ phân công")


class ReplaceIntroducerForm(IntroducerForm):
    """Another official member in place of one assigned (before the branch votes)."""

    reason = reason_field("Lý do thay người giúp đỡ")


class CorrectIntroductionForm(forms.Form):
    introduced_on = date_field("Ngày đúng của giấy giới thiệu (mẫu 3-KNĐ)", help_text=DATE_HELP)
    reason = reason_field("Lý do sửa ngày")
