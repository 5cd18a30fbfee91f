from django import forms

from dangvien.core import versions

DATE = {"placeholder": "dd/mm/yyyy"}


class CeremonyQuery(forms.Form):
    """`?ceremony=` of the planning page: a day as the rest of the UI writes it (dd/mm/yyyy;
    the locale's input formats also take the yyyy-mm-dd of older links)."""

    ceremony = forms.DateField(label="Đợt trao", widget=forms.DateInput(attrs=DATE))


class StepForm(forms.Form):
    """A step on a badge's page carries the badge's version: a page opened before another step
    was recorded (another officer, a double click) is refused (core.versions)."""

    version = versions.VersionField()


class ProposeForm(forms.Form):
    milestone = forms.IntegerField(label="Mốc (năm tuổi đảng)", min_value=1, max_value=200)
    ceremony = forms.DateField(label="Đợt trao (ngày)", widget=forms.DateInput(attrs=DATE))
    proposed_on = forms.DateField(label="Ngày đề nghị", widget=forms.DateInput(attrs=DATE))
    proposed_by = forms.CharField(label="Tổ chức đề nghị", max_length=255, required=False)
    posthumous = forms.BooleanField(label="Truy tặng (đảng viên đã từ trần)", required=False)
    early = forms.BooleanField(label="Trao sớm do ốm nặng", required=False)
    medical_note = forms.CharField(
        label="Hồ sơ bệnh án, xác nhận của cơ sở y tế (trao sớm)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class CheckForm(StepForm):
    on = forms.DateField(label="Ngày thẩm định", widget=forms.DateInput(attrs=DATE))
    note = forms.CharField(
        label="Ý kiến thẩm định", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class DecideForm(StepForm):
    number = forms.CharField(label="Số quyết định", max_length=60)
    on = forms.DateField(label="Ngày quyết định", widget=forms.DateInput(attrs=DATE))
    body = forms.CharField(label="Cơ quan quyết định", max_length=200, required=False)


class NumberForm(StepForm):
    badge_number = forms.CharField(label="Số Huy hiệu Đảng", max_length=40)
    certificate_number = forms.CharField(label="Số giấy chứng nhận", max_length=40)


class AwardForm(StepForm):
    on = forms.DateField(label="Ngày trao", widget=forms.DateInput(attrs=DATE))


class ReasonForm(StepForm):
    reason = forms.CharField(label="Lý do", widget=forms.Textarea(attrs={"rows": 2}))


class ReissueForm(StepForm):
    badge_number = forms.CharField(label="Số Huy hiệu Đảng mới", max_length=40)
    on = forms.DateField(label="Ngày cấp lại", widget=forms.DateInput(attrs=DATE))
    reason = forms.CharField(label="Lý do cấp lại", widget=forms.Textarea(attrs={"rows": 2}))


class RecoverForm(StepForm):
    on = forms.DateField(label="Ngày thu hồi", widget=forms.DateInput(attrs=DATE))
    note = forms.CharField(label="Ghi chú", required=False)
