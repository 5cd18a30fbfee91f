"""Forms of the supplement pages: they parse input; the rules live in the services."""

import datetime

from django import forms
from django.utils import timezone

from dangvien.core.forms import ScopedForm
from dangvien.core.roles import Capability
from dangvien.core.versions import VersionField
from dangvien.members.models import Member
from dangvien.organizations.forms import OrgCodeField
from dangvien.supplements.models import PROPOSABLE_FIELDS, field_label


class OpenRoundForm(ScopedForm):
    organization_code = OrgCodeField(
        label="Mã tổ chức mở đợt",
        help_text="Đợt bổ sung áp dụng cho mọi đảng viên của tổ chức này và tổ chức trực thuộc.",
    )
    year = forms.IntegerField(label="Năm bổ sung", min_value=1930, max_value=2100)
    deadline = forms.DateField(label="Hạn nộp phiếu", help_text="Ngày/tháng/năm, ví dụ 31/12/2026.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["year"].initial = today.year
        self.fields["deadline"].initial = (today + datetime.timedelta(days=30)).strftime("%d/%m/%Y")

    def clean(self):
        data = super().clean()
        data["organization"] = self.resolve_org("organization_code", Capability.MANAGE_MEMBERS)
        return data


class ProposalForm(forms.Form):
    """The yearly supplement form: the fields of the record a member may propose to change."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in PROPOSABLE_FIELDS:
            self.fields[name] = Member._meta.get_field(name).formfield(required=False)
            self.fields[name].label = field_label(name)
            if getattr(self.fields[name], "choices", None):
                self.fields[name].choices = [("", "(không có)"), *self.fields[name].choices[1:]]
            if isinstance(self.fields[name].widget, forms.Textarea):
                self.fields[name].widget.attrs["rows"] = 3
        self.fields["note"] = forms.CharField(
            label="Ghi chú gửi chi bộ",
            required=False,
            max_length=2000,
            widget=forms.Textarea(attrs={"rows": 2}),
        )
        self.fields["version"] = VersionField()  # the proposal as the page read it

    def proposed_values(self) -> dict[str, str]:
        """Only the fields the page sent: a field left out of the request is not a change."""
        return {name: self.cleaned_data[name] for name in PROPOSABLE_FIELDS if name in self.data}
