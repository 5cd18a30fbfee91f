"""The forms of the branch-life pages: a meeting prepared, its minutes, a document, a
resolution, a task, a member's excuse and report, the branch's check."""

from django import forms

from dangvien.core import attachments, versions
from dangvien.meetings.models import Body, Kind, Meeting, TaskStatus
from dangvien.meetings.services import MeetingPlan, Minutes, Vote
from dangvien.members.models import Member

DAY = forms.DateInput(attrs={"placeholder": "dd/mm/yyyy"})


class MeetingForm(forms.Form):
    """A meeting as the secretary prepares it; who chairs and who writes the minutes are chosen
    among the organisation's members."""

    version = versions.VersionField()
    body = forms.ChoiceField(label="Thành phần", choices=Body.choices, initial=Body.MEMBERS)
    kind = forms.ChoiceField(label="Loại", choices=Kind.choices, initial=Kind.REGULAR)
    on = forms.DateField(label="Ngày họp", widget=DAY)
    starts_at = forms.TimeField(
        label="Giờ bắt đầu", required=False, widget=forms.TimeInput(attrs={"placeholder": "hh:mm"})
    )
    place = forms.CharField(label="Địa điểm", max_length=255, required=False)
    online = forms.BooleanField(label="Họp trực tuyến", required=False)
    topic = forms.CharField(label="Chủ đề", max_length=255)
    agenda = forms.CharField(
        label="Chương trình họp",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Mỗi nội dung một dòng: điểm danh, báo cáo tháng, văn bản cấp trên, thảo "
        "luận, phân công nhiệm vụ, biểu quyết nghị quyết, chấm điểm, thông qua biên bản.",
    )
    chair = forms.ModelChoiceField(label="Chủ trì", queryset=Member.unscoped.none(), required=False)
    minutes_writer = forms.ModelChoiceField(
        label="Thư ký", queryset=Member.unscoped.none(), required=False
    )

    def __init__(self, *args, members=None, **kwargs):
        super().__init__(*args, **kwargs)
        if members is not None:
            self.fields["chair"].queryset = members
            self.fields["minutes_writer"].queryset = members

    def plan(self) -> MeetingPlan:
        data = self.cleaned_data
        return MeetingPlan(
            body=data["body"],
            kind=data["kind"],
            on=data["on"],
            topic=data["topic"].strip(),
            agenda=data["agenda"].strip(),
            place=data["place"].strip(),
            online=data["online"],
            starts_at=data["starts_at"],
            chair=data["chair"],
            minutes_writer=data["minutes_writer"],
        )


def meeting_initial(meeting: Meeting) -> dict:
    return {
        "version": versions.token(meeting),
        **{
            name: getattr(meeting, name)
            for name in ("body", "kind", "on", "starts_at", "place", "online", "topic", "agenda")
        },
        "chair": meeting.chair_id,
        "minutes_writer": meeting.minutes_writer_id,
    }


class MinutesForm(forms.Form):
    version = versions.VersionField()
    text = forms.CharField(
        label="Biên bản",
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text="Diễn biến cuộc họp, ý kiến phát biểu, kết luận của chủ trì.",
    )
    ideology = forms.CharField(
        label="Nhận định tình hình tư tưởng đảng viên trong tháng",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    quality_score = forms.IntegerField(
        label="Điểm chất lượng buổi sinh hoạt (0–100)",
        required=False,
        min_value=0,
        max_value=100,
        help_text="Mức Tốt, Khá, Trung bình, Kém theo bộ quy định áp dụng ngày họp.",
    )

    def minutes(self) -> Minutes:
        data = self.cleaned_data
        return Minutes(data["text"], data["ideology"], data["quality_score"])


class DocumentForm(forms.Form):
    file = forms.FileField(
        label="Tài liệu",
        widget=forms.ClearableFileInput(attrs={"accept": attachments.ACCEPT}),
        help_text="PDF, Word (.doc, .docx) hoặc ảnh (.png, .jpg).",
    )

    def __init__(self, *args, too_large: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.too_large = too_large

    def clean(self):
        if self.too_large:
            self.errors.pop("file", None)
            raise forms.ValidationError(
                f"Tệp lớn hơn giới hạn tải lên; tài liệu tối đa "
                f"{attachments.max_bytes() // 2**20} MB, tệp chưa được lưu."
            )
        return super().clean()


class ResolutionForm(forms.Form):
    number = forms.CharField(label="Số nghị quyết", max_length=60, required=False)
    title = forms.CharField(label="Trích yếu", max_length=255)
    content = forms.CharField(label="Nội dung", widget=forms.Textarea(attrs={"rows": 5}))
    votes_for = forms.IntegerField(label="Tán thành", min_value=0)
    votes_against = forms.IntegerField(label="Không tán thành", min_value=0, initial=0)
    votes_abstain = forms.IntegerField(label="Không biểu quyết", min_value=0, initial=0)

    def vote(self) -> Vote:
        data = self.cleaned_data
        return Vote(
            data["number"],
            data["title"],
            data["content"],
            data["votes_for"],
            data["votes_against"],
            data["votes_abstain"],
        )


class TaskForm(forms.Form):
    member = forms.ModelChoiceField(label="Đảng viên", queryset=Member.unscoped.none())
    title = forms.CharField(label="Nhiệm vụ", max_length=255)
    detail = forms.CharField(
        label="Yêu cầu cụ thể", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    due_on = forms.DateField(label="Hạn hoàn thành", widget=DAY)

    def __init__(self, *args, members=None, **kwargs):
        super().__init__(*args, **kwargs)
        if members is not None:
            self.fields["member"].queryset = members


class ExcuseForm(forms.Form):
    reason = forms.CharField(label="Lý do vắng", max_length=500)


class TaskReportForm(forms.Form):
    version = versions.VersionField()
    report = forms.CharField(
        label="Kết quả thực hiện", widget=forms.Textarea(attrs={"rows": 4}), max_length=5000
    )


class TaskCheckForm(forms.Form):
    version = versions.VersionField()
    result = forms.ChoiceField(
        label="Kết quả",
        choices=[
            (s, label) for s, label in TaskStatus.choices if s in ("hoan_thanh", "khong_hoan_thanh")
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label="Nhận xét của chi bộ", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    reason = forms.CharField(
        label="Lý do sửa (khi đã kiểm tra trước đó)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class CorrectionForm(forms.Form):
    text = forms.CharField(label="Nội dung đính chính", widget=forms.Textarea(attrs={"rows": 4}))
    reason = forms.CharField(label="Lý do", widget=forms.Textarea(attrs={"rows": 2}))


class ApproveForm(forms.Form):
    """The approval of the minutes: the version of the meeting the page showed (minutes saved
    on another screen meanwhile are not approved unseen)."""

    version = versions.VersionField()
