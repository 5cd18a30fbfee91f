"""The forms of the training pages: a course opened or corrected, a learner added, the results
screen (one row a learner), an annulment and the recognition exception."""

from django import forms

from dangvien.core import versions
from dangvien.training.models import CourseKind, CourseStatus, Result
from dangvien.training.services import CourseInput, ResultInput

DAY = forms.DateInput(attrs={"placeholder": "dd/mm/yyyy"})
REASON = forms.Textarea(attrs={"rows": 2})


class CourseForm(forms.Form):
    version = versions.VersionField()
    code = forms.CharField(label="Mã khóa", max_length=40, help_text="Ví dụ «DVM-2026-01».")
    name = forms.CharField(
        label="Tên khóa",
        max_length=255,
        help_text="Ví dụ «Lớp bồi dưỡng đảng viên mới khóa I-2026».",
    )
    kind = forms.ChoiceField(label="Loại", choices=CourseKind.choices)
    starts_on = forms.DateField(label="Từ ngày", widget=DAY)
    ends_on = forms.DateField(label="Đến ngày", widget=DAY)
    teaching_body = forms.CharField(
        label="Nơi giảng dạy",
        max_length=255,
        required=False,
        help_text="Trung tâm chính trị, trường chính trị … (để trống nếu cấp ủy tự tổ chức).",
    )
    place = forms.CharField(label="Địa điểm", max_length=255, required=False)
    status = forms.ChoiceField(label="Tình trạng", choices=CourseStatus.choices)
    note = forms.CharField(label="Ghi chú", required=False, widget=REASON)

    def plan(self) -> CourseInput:
        data = self.cleaned_data
        return CourseInput(
            code=data["code"],
            name=data["name"],
            kind=data["kind"],
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            teaching_body=data["teaching_body"],
            place=data["place"],
            status=data["status"],
            note=data["note"],
        )


class CourseCorrectionForm(CourseForm):
    reason = forms.CharField(label="Lý do sửa", max_length=2000, widget=REASON)


def course_initial(course) -> dict:
    return {
        "version": versions.token(course),
        **{
            name: getattr(course, name)
            for name in (
                "code",
                "name",
                "kind",
                "starts_on",
                "ends_on",
                "teaching_body",
                "place",
                "status",
                "note",
            )
        },
    }


class ParticipantForm(forms.Form):
    member_code = forms.CharField(
        label="Mã đảng viên",
        max_length=40,
        required=False,
        help_text="Lớp nhận thức về Đảng: có thể chọn quần chúng ở ô dưới thay cho đảng viên.",
    )
    candidate = forms.TypedChoiceField(
        label="Quần chúng (lớp nhận thức về Đảng)", coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["candidate"].choices = [("", "—")] + [
            (candidate.pk, f"{candidate.full_name} ({candidate.organization.name})")
            for candidate in candidates
        ]
        if not candidates:
            del self.fields["candidate"]


RESULT_CHOICES = [("", "Chưa có kết quả"), *Result.choices]


class ResultRowForm(forms.Form):
    """One learner's row of the results screen (prefix "p<id>")."""

    version = versions.VersionField()
    result = forms.ChoiceField(label="Kết quả", choices=RESULT_CHOICES, required=False)
    certificate_number = forms.CharField(label="Số chứng chỉ", max_length=60, required=False)
    certificate_on = forms.DateField(label="Ngày cấp", widget=DAY, required=False)
    distinguished = forms.BooleanField(label="Khen", required=False)
    distinction_note = forms.CharField(label="Ghi chú khen", max_length=255, required=False)

    def entry(self) -> ResultInput | None:
        data = self.cleaned_data
        if not data["result"]:
            return None
        return ResultInput(
            result=data["result"],
            certificate_number=data["certificate_number"],
            certificate_on=data["certificate_on"],
            distinguished=data["distinguished"],
            distinction_note=data["distinction_note"],
        )


def result_initial(participant, token: str | None = None) -> dict:
    """The row as stored; `token` the version read with the other rows (versions.tokens_many),
    else read for this one."""
    return {
        "version": token if token is not None else versions.token(participant),
        "result": participant.result,
        "certificate_number": participant.certificate_number,
        "certificate_on": participant.certificate_on,
        "distinguished": participant.distinguished,
        "distinction_note": participant.distinction_note,
    }


class CorrectionReasonForm(forms.Form):
    reason = forms.CharField(
        label="Lý do sửa kết quả",
        max_length=2000,
        required=False,
        widget=REASON,
        help_text="Bắt buộc khi sửa kết quả đã ghi.",
    )


class AnnulForm(forms.Form):
    version = versions.VersionField()
    reason = forms.CharField(label="Lý do hủy (ghi nhầm)", max_length=2000, widget=REASON)


class ExceptionForm(forms.Form):
    reason = forms.CharField(label="Lý do ngoại lệ", max_length=2000, widget=REASON)
    document = forms.CharField(label="Văn bản cho phép", max_length=60, required=False)
