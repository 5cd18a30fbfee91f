"""The form fields the party-development forms share: dates as users type them, short texts,
notes, the reason of a final action and of a vote's correction."""

from django import forms

DATE_HELP = "Ngày/tháng/năm, ví dụ 15/03/2026."


def date_field(label: str, required: bool = True, **kwargs) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        widget=forms.DateInput(attrs={"placeholder": "dd/mm/yyyy"}, format="%d/%m/%Y"),
        **kwargs,
    )


def text_field(label: str, max_length: int = 200, **kwargs) -> forms.CharField:
    return forms.CharField(label=label, max_length=max_length, required=False, **kwargs)


def note_field(label: str, required: bool = False) -> forms.CharField:
    return forms.CharField(label=label, required=required, widget=forms.Textarea(attrs={"rows": 2}))


def reason_field(label: str) -> forms.CharField:
    """The reason of a final action or of its undoing: required by the service, with its own
    message (the confirmation page marks it required)."""
    return forms.CharField(
        label=label, required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


def correction_reason_field() -> forms.CharField:
    """On a vote's form: filled in, the vote corrects the figures of the last attempt, typed
    wrong, instead of counting as a new attempt (shared.services.check_vote_attempt)."""
    return forms.CharField(
        label="Lý do sửa lần biểu quyết vừa ghi",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Chỉ điền khi lần biểu quyết trước ghi nhầm số liệu: lần đó được sửa, không "
        "tính thêm một lần biểu quyết. Để trống khi ghi một lần biểu quyết mới.",
    )
