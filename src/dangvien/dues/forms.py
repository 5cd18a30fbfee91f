"""The forms of party dues: a member's basis, a row of the collection sheet, a correction, a
valid reason for a month unpaid, a remittance upward. Months are typed mm/yyyy."""

import datetime
import re

from django import forms

from dangvien.core import versions
from dangvien.core.forms import ReasonForm
from dangvien.dues.models import Category, Channel
from dangvien.dues.services import Basis, Collection

DATE = {"placeholder": "dd/mm/yyyy", "inputmode": "numeric"}
MONEY = {"inputmode": "numeric", "pattern": "[0-9.]*", "autocomplete": "off"}
_MONTH = re.compile(r"\s*(\d{1,2})\s*/\s*(\d{4})\s*")


class MonthField(forms.CharField):
    """A month typed mm/yyyy (or m/yyyy), as the first day of that month."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.TextInput(attrs={"placeholder": "mm/yyyy", "size": 8}))
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, datetime.date):
            return f"{value:%m/%Y}"
        return value

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        found = _MONTH.fullmatch(value)
        if not found or not 1 <= int(found.group(1)) <= 12 or not int(found.group(2)) >= 1930:
            raise forms.ValidationError(f"“{value}” không phải tháng dạng mm/yyyy.")
        return datetime.date(int(found.group(2)), int(found.group(1)), 1)


class MoneyField(forms.IntegerField):
    """Whole đồng; "1.250.000" (Vietnamese thousands separators) is read as 1250000."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("widget", forms.TextInput(attrs=MONEY))
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = value.replace(".", "").replace(" ", "").replace("\u00a0", "")
        return super().to_python(value)


class BasisForm(forms.Form):
    from_month = MonthField(label="Từ tháng")
    category = forms.ChoiceField(label="Đối tượng", choices=Category.choices)
    base_amount = MoneyField(
        label="Mức căn cứ (đồng/tháng)",
        required=False,
        help_text="Tiền lương làm căn cứ đóng BHXH tháng trước, trợ cấp ốm đau, thai sản hoặc "
        "lương hưu; để trống với học sinh, sinh viên và đối tượng khác.",
    )
    voluntary_amount = MoneyField(label="Mức tự nguyện đóng cao hơn (đồng/tháng)", required=False)
    approval_number = forms.CharField(
        label="Số văn bản đồng ý của cấp ủy cấp trên", max_length=60, required=False
    )
    approval_body = forms.CharField(label="Cấp ủy đồng ý", max_length=200, required=False)
    approved_on = forms.DateField(
        label="Ngày đồng ý", required=False, widget=forms.DateInput(attrs=DATE)
    )
    note = forms.CharField(
        label="Ghi chú, lý do", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def basis(self) -> Basis:
        data = self.cleaned_data
        return Basis(
            from_month=data["from_month"],
            category=data["category"],
            base_amount=data.get("base_amount") or 0,
            voluntary_amount=data.get("voluntary_amount"),
            approval_number=data.get("approval_number", ""),
            approval_body=data.get("approval_body", ""),
            approved_on=data.get("approved_on"),
            note=data.get("note", ""),
        )


class CollectForm(forms.Form):
    """One row of the sheet: the member, the amount of each month, how many months from this
    one (early or late payment), the channel and its reference, the day paid."""

    member = forms.IntegerField(widget=forms.HiddenInput)
    amount = MoneyField(label="Số tiền mỗi tháng (đồng)", required=False)
    months = forms.IntegerField(
        label="Số tháng nộp",
        min_value=1,
        max_value=24,
        initial=1,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 1, "max": 24}),
    )
    channel = forms.ChoiceField(
        label="Hình thức", choices=Channel.choices, widget=forms.RadioSelect, initial=Channel.CASH
    )
    reference = forms.CharField(label="Mã giao dịch (Cổng DVC)", max_length=80, required=False)
    paid_on = forms.DateField(label="Ngày nộp", widget=forms.DateInput(attrs=DATE))

    def collection(self, month: datetime.date) -> Collection:
        data = self.cleaned_data
        return Collection(
            month=month,
            channel=data["channel"],
            paid_on=data["paid_on"],
            reference=data.get("reference", ""),
            amount=data.get("amount"),
            months=data["months"],
        )


class CorrectPaymentForm(ReasonForm):
    amount = MoneyField(label="Số tiền (đồng)")
    channel = forms.ChoiceField(label="Hình thức", choices=Channel.choices)
    reference = forms.CharField(label="Mã giao dịch", max_length=80, required=False)
    paid_on = forms.DateField(label="Ngày nộp", widget=forms.DateInput(attrs=DATE))
    version = versions.VersionField()

    field_order = ["amount", "channel", "reference", "paid_on", "reason", "version"]


class AnnulForm(ReasonForm):
    version = versions.VersionField()


class ExcuseForm(forms.Form):
    month = MonthField(label="Tháng")
    reason = forms.CharField(label="Lý do chính đáng", widget=forms.Textarea(attrs={"rows": 2}))


class RemittanceForm(forms.Form):
    month = MonthField(label="Đảng phí tháng")
    amount = MoneyField(label="Số tiền đã nộp lên cấp trên (đồng)")
    remitted_on = forms.DateField(label="Ngày nộp", widget=forms.DateInput(attrs=DATE))
    reference = forms.CharField(label="Số chứng từ, mã giao dịch", max_length=80, required=False)
