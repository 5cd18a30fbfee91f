"""The forms of the residence link and of the yearly comment."""

from django import forms
from django.utils import timezone

from dangvien.core import versions
from dangvien.core.forms import ReasonForm
from dangvien.organizations.models import BRANCH_KINDS, Organization
from dangvien.organizations.selectors import visible_orgs
from dangvien.residence.models import Category, Channel, Result
from dangvien.residence.services import Comment, Introduction

DATE = {"placeholder": "dd/mm/yyyy"}


def residence_branch(user, code: str) -> Organization | None:
    """A branch in operation the user can see, named by its code. A branch outside their scope
    is not looked up (its name would answer for a code typed at random: no oracle across
    scopes): the form records it by name, as a branch outside the system."""
    return (
        visible_orgs(user)
        .filter(code=code.strip(), kind__in=BRANCH_KINDS, ended_on__isnull=True)
        .first()
    )


class LinkForm(forms.Form):
    category = forms.ChoiceField(label="Diện", choices=Category.choices)
    introduced_on = forms.DateField(
        label="Ngày giới thiệu (hoặc ngày miễn)", widget=forms.DateInput(attrs=DATE)
    )
    residence_code = forms.CharField(
        label="Mã chi bộ nơi cư trú (trong hệ thống)",
        max_length=40,
        required=False,
        help_text="Mã của chi bộ nơi cư trú, nếu chi bộ ở trong phạm vi bạn xem được; chi bộ "
        "ở nơi khác thì ghi tên chi bộ và đảng ủy xã, phường ở hai ô dưới.",
    )
    outside_name = forms.CharField(
        label="Chi bộ nơi cư trú ngoài hệ thống",
        max_length=255,
        required=False,
        help_text="Khi chi bộ nơi cư trú ngoài hệ thống hoặc ngoài phạm vi của bạn: ghi tên "
        "chi bộ.",
    )
    outside_committee = forms.CharField(
        label="Đảng ủy xã, phường nơi cư trú (ngoài hệ thống)", max_length=255, required=False
    )
    letter_number = forms.CharField(label="Số giấy giới thiệu", max_length=60, required=False)
    reason = forms.CharField(
        label="Lý do miễn",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Bắt buộc với hai diện miễn (Hướng dẫn 33-HD/BTCTW).",
    )
    service_fields = {"residence_org": "residence_code"}

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        code = (data.get("residence_code") or "").strip()
        data["residence_org"] = residence_branch(self.user, code) if code else None
        if code and data["residence_org"] is None:
            self.add_error(
                "residence_code",
                "Không tìm thấy chi bộ đang hoạt động có mã này trong phạm vi của bạn: chi bộ ở "
                "nơi khác thì ghi tên chi bộ.",
            )
        return data

    def introduction(self) -> Introduction:
        data = self.cleaned_data
        return Introduction(
            category=data["category"],
            introduced_on=data["introduced_on"],
            residence_org=data["residence_org"],
            outside_name=data["outside_name"],
            outside_committee=data["outside_committee"],
            letter_number=data["letter_number"],
            reason=data["reason"],
        )


class EndLinkForm(ReasonForm):
    ended_on = forms.DateField(label="Ngày kết thúc", widget=forms.DateInput(attrs=DATE))
    version = versions.VersionField()
    field_order = ["ended_on", "reason", "version"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = True


class CommentForm(forms.Form):
    year = forms.IntegerField(label="Năm", min_value=1930, max_value=9999)
    result = forms.ChoiceField(label="Kết quả", choices=Result.choices)
    commented_on = forms.DateField(label="Ngày nhận xét", widget=forms.DateInput(attrs=DATE))
    received_on = forms.DateField(label="Ngày nhận", widget=forms.DateInput(attrs=DATE))
    channel = forms.ChoiceField(label="Hình thức", choices=Channel.choices)
    portal_reference = forms.CharField(
        label="Mã hồ sơ trên Cổng",
        max_length=60,
        required=False,
        help_text="Bắt buộc khi nhận xét qua Cổng Dịch vụ công quốc gia.",
    )
    content = forms.CharField(
        label="Nội dung nhận xét (tóm tắt)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    @classmethod
    def initial_for(cls, year: int | None = None) -> dict:
        today = timezone.localdate()
        return {"year": year or today.year, "received_on": today, "channel": Channel.PAPER}

    def comment(self) -> Comment:
        data = self.cleaned_data
        return Comment(
            year=data["year"],
            result=data["result"],
            commented_on=data["commented_on"],
            received_on=data["received_on"],
            channel=data["channel"],
            portal_reference=data["portal_reference"],
            content=data["content"],
        )


class CorrectCommentForm(CommentForm):
    reason = forms.CharField(
        label="Lý do sửa", max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    version = versions.VersionField()


class WithdrawForm(ReasonForm):
    version = versions.VersionField()
