"""Forms of party cards: a card issued (replacing the one in use), a card ended. They parse
input; the services apply every rule."""

from django import forms

from dangvien.admissions.models import CardEnd, CardSeries
from dangvien.core.forms import ScopedForm


class CardIssueForm(ScopedForm):
    number = forms.CharField(label="Số thẻ đảng viên", max_length=30)
    series = forms.ChoiceField(label="Loại thẻ", choices=CardSeries.choices)
    issued_on = forms.DateField(label="Ngày cấp")
    decision_number = forms.CharField(label="Số quyết định phát thẻ", max_length=60, required=False)
    replaces = forms.ChoiceField(
        label="Lý do thay thẻ đang dùng",
        required=False,
        choices=[
            ("", "— chọn lý do —"),
            (CardEnd.REPLACED.value, CardEnd.REPLACED.label),
            (CardEnd.LOST.value, CardEnd.LOST.label),
            (CardEnd.DAMAGED.value, CardEnd.DAMAGED.label),
        ],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["issued_on"].widget.attrs["placeholder"] = "dd/mm/yyyy"


class CardEndForm(ScopedForm):
    ended_on = forms.DateField(label="Ngày báo mất, hỏng hoặc thu hồi")
    reason = forms.ChoiceField(
        label="Lý do",
        choices=[
            (CardEnd.LOST.value, CardEnd.LOST.label),
            (CardEnd.DAMAGED.value, CardEnd.DAMAGED.label),
            (CardEnd.REVOKED.value, CardEnd.REVOKED.label),
        ],
    )
    note = forms.CharField(
        label="Ghi chú", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ended_on"].widget.attrs["placeholder"] = "dd/mm/yyyy"
