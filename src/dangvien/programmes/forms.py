"""The forms of the programme pages: a programme, a target, a hand-tracked result, a review and
a review's correction."""

from django import forms

from dangvien.core import versions
from dangvien.core.attachments import ACCEPT
from dangvien.programmes.models import (
    Comparator,
    DocumentKind,
    Indicator,
    ReviewKind,
    SessionMode,
)

DAY = forms.DateInput(attrs={"placeholder": "dd/mm/yyyy"})


def _period(text: str) -> tuple[int | None, tuple[int, int] | None]:
    from dangvien.admissions.targets.importing import parse_term, parse_year

    text = text.strip()
    if text.isdigit():
        year, message = parse_year(text)
        if message:
            raise forms.ValidationError(message)
        return year, None
    term, message = parse_term(text)
    if message:
        raise forms.ValidationError(message)
    return None, term


class ProgrammeForm(forms.Form):
    """A new programme: its year or term, title, number and date."""

    period = forms.CharField(
        label="Năm / Nhiệm kỳ",
        max_length=20,
        help_text="Năm (ví dụ 2026) hoặc nhiệm kỳ (ví dụ 2025-2030).",
    )
    title = forms.CharField(label="Tên chương trình", max_length=300)
    number = forms.CharField(label="Số văn bản", max_length=60, required=False)
    adopted_on = forms.DateField(label="Ngày ban hành", required=False, widget=DAY)

    service_fields = {"year": "period", "term": "period"}

    def clean_period(self):
        self.year, self.term = _period(self.cleaned_data["period"])
        return self.cleaned_data["period"]

    def values(self) -> dict:
        data = self.cleaned_data
        return {
            "year": self.year,
            "term": self.term,
            "title": data["title"],
            "number": data["number"],
            "adopted_on": data["adopted_on"],
        }


class ProgrammeEditForm(forms.Form):
    version = versions.VersionField()
    title = forms.CharField(label="Tên chương trình", max_length=300)
    number = forms.CharField(label="Số văn bản", max_length=60, required=False)
    adopted_on = forms.DateField(label="Ngày ban hành", required=False, widget=DAY)


def _value_field():
    return forms.CharField(
        label="Giá trị",
        max_length=20,
        help_text="Tỷ lệ ghi số phần trăm (ví dụ 90 hoặc 92,5); số lượng ghi số.",
    )


class TargetForm(forms.Form):
    """A target: a computed indicator, or a text tracked by hand."""

    indicator = forms.ChoiceField(
        label="Chỉ tiêu tính từ dữ liệu",
        required=False,
        choices=[
            ("", "— Chỉ tiêu theo dõi thủ công (ghi nội dung bên dưới) —"),
            *Indicator.choices,
        ],
    )
    label = forms.CharField(
        label="Nội dung chỉ tiêu theo dõi thủ công", max_length=300, required=False
    )
    comparator = forms.ChoiceField(label="So sánh", choices=Comparator.choices)
    value = _value_field()

    def clean(self):
        data = super().clean()
        if not data.get("indicator") and not (data.get("label") or "").strip():
            raise forms.ValidationError("Chọn chỉ tiêu tính từ dữ liệu hoặc ghi nội dung chỉ tiêu.")
        return data

    @property
    def text(self) -> str:
        return self.cleaned_data["indicator"] or self.cleaned_data["label"]


class TargetEditForm(forms.Form):
    version = versions.VersionField()
    comparator = forms.ChoiceField(label="So sánh", choices=Comparator.choices)
    value = _value_field()


class ResultForm(forms.Form):
    actual = forms.CharField(label="Kết quả đạt được", max_length=20)
    result_on = forms.DateField(label="Ngày ghi nhận", widget=DAY)
    evidence = forms.CharField(
        label="Căn cứ, minh chứng",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Báo cáo, biên bản, số liệu làm căn cứ cho kết quả.",
    )


class ReviewForm(forms.Form):
    kind = forms.ChoiceField(label="Sơ kết, tổng kết", choices=ReviewKind.choices)
    year = forms.IntegerField(label="Năm", min_value=1930, max_value=2100)
    reviewed_on = forms.DateField(label="Ngày sơ kết, tổng kết", widget=DAY)
    note = forms.CharField(
        label="Nhận xét", required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )


class CorrectionForm(forms.Form):
    version = versions.VersionField()
    actual = forms.CharField(
        label="Kết quả đúng", max_length=20, required=False, help_text="Để trống: chưa có số liệu."
    )
    reason = forms.CharField(
        label="Lý do đính chính", max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class StudyPlanForm(forms.Form):
    """A study plan of the organisation, with the document it studies (found by its number and
    date when already recorded) and, optionally, the document's file."""

    kind = forms.ChoiceField(label="Loại văn bản", choices=DocumentKind.choices)
    number = forms.CharField(label="Số hiệu văn bản", max_length=60, help_text="Ví dụ 21-NQ/TW.")
    issued_on = forms.DateField(label="Ngày ban hành văn bản", widget=DAY)
    title = forms.CharField(label="Trích yếu", max_length=500)
    issuing_body = forms.CharField(
        label="Cơ quan ban hành", max_length=200, help_text="Ví dụ Ban Chấp hành Trung ương."
    )
    file = forms.FileField(
        label="Tệp văn bản",
        required=False,
        help_text="PDF, Word hoặc ảnh (không bắt buộc).",
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )
    plan_number = forms.CharField(label="Số kế hoạch", max_length=60, required=False)
    deadline = forms.DateField(label="Hạn hoàn thành học tập", widget=DAY)

    service_fields = {"document": "number", "number": "plan_number"}


class SessionForm(forms.Form):
    org_code = forms.CharField(label="Mã tổ chức cơ sở đảng", max_length=40)
    held_on = forms.DateField(label="Ngày tổ chức", widget=DAY)
    mode = forms.ChoiceField(label="Hình thức", choices=SessionMode.choices)
    present = forms.IntegerField(
        label="Số đảng viên dự",
        min_value=0,
        required=False,
        help_text="Để trống khi ghi danh sách đảng viên dự bên dưới.",
    )
    attendees = forms.CharField(
        label="Mã đảng viên dự (mỗi dòng một mã, không bắt buộc)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    service_fields = {"organization": "org_code"}

    def clean(self):
        data = super().clean()
        codes = tuple(code for code in (data.get("attendees") or "").split() if code)
        if data.get("present") is None and not codes:
            raise forms.ValidationError("Ghi số đảng viên dự hoặc danh sách mã đảng viên dự.")
        data["codes"] = codes
        return data


class LearningReportForm(forms.Form):
    member_code = forms.CharField(label="Mã đảng viên", max_length=40)
    submitted_on = forms.DateField(label="Ngày nộp", widget=DAY)
    text = forms.CharField(
        label="Nội dung bài thu hoạch (để trống: chỉ ghi đã nhận)",
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
