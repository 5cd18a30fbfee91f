"""Cross-cutting records: the audit history of every change."""

import re

from django.apps import apps
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import models

from dangvien.core.rules import RULE_KEYS, Family
from dangvien.core.scope import ScopedManager


class AuditEntry(models.Model):
    """One change to one record: who, when, what, the old and new values, and on what decision.

    `org_path` is the materialised path of the organisation the record belongs to, so the history
    of a subtree ("what changed in my subtree this month") is one indexed prefix query.
    """

    scope_path = "org_path"
    path_copy_field = "org_path"

    at = models.DateTimeField("thời điểm", auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="người thực hiện",
    )
    action = models.CharField("thao tác", max_length=40)
    target_type = models.CharField("loại đối tượng", max_length=40)
    target_id = models.BigIntegerField("mã đối tượng")
    target_label = models.CharField("đối tượng", max_length=300)
    org_path = models.CharField("đường dẫn tổ chức", max_length=255, db_index=True, blank=True)
    changes = models.JSONField("thay đổi", default=dict, blank=True)
    effective_on = models.DateField("ngày hiệu lực", null=True, blank=True)
    decision_number = models.CharField("số quyết định", max_length=60, blank=True)
    decision_body = models.CharField("cơ quan quyết định", max_length=200, blank=True)
    reason = models.TextField("lý do", blank=True)

    unscoped = models.Manager()
    objects = ScopedManager()

    class Meta:
        verbose_name = "lịch sử thay đổi"
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["target_type", "target_id"], name="audit_target_idx"),
            # The last entry of one action (the quotas page's version: Max(id) of "target.set").
            models.Index(fields=["action", "id"], name="audit_action_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.action} {self.target_label}"

    @property
    def action_label(self) -> str:
        return ACTION_LABELS.get(self.action, self.action)

    def detail_rows(self) -> list[tuple[str, str]]:
        """(Vietnamese label, text) of a read's details or an account event's changes."""
        rows = []
        for name, value in self.changes.items():
            if isinstance(value, dict):
                text = "; ".join(f"{key}={item}" for key, item in value.items())
            elif isinstance(value, list) and name != "columns" and len(value) == 2:
                text = f"{value[0] if value[0] not in (None, '') else '—'} → {value[1]}"
            elif isinstance(value, list):
                text = ", ".join(str(item) for item in value)
            else:
                text = str(value)
            rows.append((DETAIL_LABELS.get(name) or self._field_label(name), text))
        return rows

    def change_rows(self) -> list[tuple[str, object, object]]:
        """(Vietnamese field label, old, new) for display."""
        return [
            (self._field_label(name), values[0], values[1]) for name, values in self.changes.items()
        ]

    def _field_label(self, name: str) -> str:
        if name in FIELD_LABELS:
            return FIELD_LABELS[name]
        if (match := YEARLY_FIELD.match(name)) and match[1] in FIELD_LABELS:
            return f"{FIELD_LABELS[match[1]]} năm {match[2]}"
        if (match := TERM_FIELD.match(name)) and match[1] in FIELD_LABELS:
            return f"{FIELD_LABELS[match[1]]} nhiệm kỳ {match[2]}-{match[3]}"
        try:
            label = str(apps.get_model(self.target_type)._meta.get_field(name).verbose_name)
        except (LookupError, ValueError, FieldDoesNotExist):
            return name
        return label[:1].upper() + label[1:]


# Changes kept per year, e.g. "grade_2025" → "Xếp loại năm 2025", "quarter_2_2026" → "Xếp loại
# quý 2 năm 2026".
YEARLY_FIELD = re.compile(r"^([a-z][a-z0-9_]*)_(\d{4})$")
# Changes kept per term, e.g. "quota_2020_2025" → "Chỉ tiêu kết nạp nhiệm kỳ 2020-2025".
TERM_FIELD = re.compile(r"^([a-z_]+)_(\d{4})_(\d{4})$")

ACTION_LABELS = {
    "org.create": "Thành lập tổ chức",
    "org.rename": "Đổi tên tổ chức",
    "org.change_code": "Sửa mã tổ chức",
    "org.move": "Chuyển tổ chức",
    "org.update": "Cập nhật tổ chức (nhập từ tệp)",
    "org.dissolve": "Giải thể tổ chức",
    "org.disband": "Giải tán tổ chức (kỷ luật)",
    "org.change": "Thay đổi loại tổ chức, loại hình",
    "org.correct": "Sửa lỗi thông tin tổ chức",
    "org.restore": "Khôi phục tổ chức đã giải thể",
    "user.create": "Tạo tài khoản",
    "role.grant": "Cấp vai trò",
    "role.revoke": "Thu hồi vai trò",
    "rules.save": "Sửa bộ quy định",
    "holiday.add": "Thêm ngày nghỉ lễ",
    "holiday.remove": "Bỏ ngày nghỉ lễ",
    "member.create": "Thêm hồ sơ đảng viên",
    "member.update": "Sửa hồ sơ đảng viên",
    "member.recognise": "Công nhận đảng viên chính thức",
    "member.transfer": "Chuyển sinh hoạt đảng",
    "member.exempt": "Miễn công tác và sinh hoạt đảng",
    "member.exemption_end": "Trở lại sinh hoạt đảng",
    "member.leave": "Ra khỏi Đảng, từ trần",
    "member.reinstate": "Hủy việc ra khỏi Đảng",
    "member.readmit": "Kết nạp lại vào Đảng",
    "member.readmit_annul": "Hủy quyết định kết nạp lại",
    "member.photo": "Cập nhật ảnh",
    "upload.purge": "Xóa dữ liệu tệp tải lên chưa nhập",
}
# Reads of personal data (core/audit.py record_read): kept apart from the change history and
# reviewed on the access page (/history/access/).
READ_ACTION_LABELS = {
    "member.view": "Xem hồ sơ đảng viên",
    "member.print": "In hồ sơ",
    "members.export": "Xuất danh sách",
    "branch.print_list": "In danh sách đảng viên chi bộ",
    "report.download": "Tải báo cáo",
    "access.export": "Xuất nhật ký truy cập",
    "transfer.identify": "Tìm hồ sơ đã chuyển ra ngoài hệ thống theo giấy tờ",
    # Of the inspection and discipline apps (their actions are strings: core imports no app).
    "discipline.print": "In quyết định kỷ luật",
    "inspection.print": "In thông báo kết luận",
    "denunciation.view": "Xem đơn tố cáo",
    "meeting.document_read": "Xem tài liệu họp",
    "meeting.minutes_print": "In biên bản họp",
}
# Sign-in and account events (target_type "accounts.user"), recorded by the accounts app.
AUTH_ACTION_LABELS = {
    "auth.login": "Đăng nhập",
    "auth.login_failed": "Đăng nhập không thành công",
    "auth.logout": "Đăng xuất",
    "auth.lockout": "Tạm khóa đăng nhập",
    "auth.password_change": "Đổi mật khẩu",
    "auth.password_reset": "Đặt lại mật khẩu",
    "user.disable": "Khóa tài khoản",
    "user.enable": "Mở khóa tài khoản",
    "auth.unlock": "Gỡ tạm khóa đăng nhập",
    "auth.2fa_reset": "Đặt lại xác thực hai lớp",
    "auth.2fa_enabled": "Bật xác thực hai lớp",
}
READ_ACTIONS = tuple(READ_ACTION_LABELS)
AUTH_ACTIONS = tuple(AUTH_ACTION_LABELS)
# Entries that record a read or a sign-in, not a change: left out of every change history.
NOT_CHANGES = READ_ACTIONS + AUTH_ACTIONS
ACTION_LABELS.update(READ_ACTION_LABELS)
for _action, _label in AUTH_ACTION_LABELS.items():
    ACTION_LABELS.setdefault(_action, _label)
# How the details of a read are shown (AuditEntry.detail_rows).
DETAIL_LABELS = {
    "rows": "Số dòng",
    "columns": "Các cột",
    "filters": "Bộ lọc",
    "report": "Báo cáo",
    "org": "Tổ chức",
    "year": "Năm",
    "format": "Định dạng",
    "as_of": "Tính đến ngày",
    "via": "Qua",
    "period": "Khoảng thời gian",
    "person": "Người",
}
FIELD_LABELS = {
    "code": "Mã",
    "name": "Tên",
    "kind": "Loại",
    "parent": "Cấp trên",
    "ended_on": "Ngày giải thể",
    "username": "Tên đăng nhập",
    "role": "Vai trò",
    "full_name": "Họ và tên",
    "status": "Tình trạng",
    "official_on": "Ngày chính thức",
    "admitted_on": "Ngày vào Đảng",
    "birth_date": "Ngày sinh",
    "branch": "Chi bộ",
    "exempt_since": "Miễn sinh hoạt từ",
    "left_on": "Ngày ra khỏi Đảng",
    "photo": "Ảnh",
    "effective_from": "Hiệu lực từ",
    "day": "Ngày nghỉ",
    "grade": "Xếp loại",
    "proposed": "Chi bộ đề xuất",
    "self_grade": "Tự xếp loại",
    "commitment": "Đăng ký, cam kết",  # "commitment_2026": "Đăng ký, cam kết năm 2026"
}
FIELD_LABELS.update({key: label for key, (label, _default) in RULE_KEYS.items()})


class ImportUpload(models.Model):
    """A spreadsheet uploaded in the web UI, kept between its preview and its confirmation.

    The file is read once, when it arrives: what it said (its rows for the import's columns,
    and every problem found) is kept compressed in `parsed`, the preview's figures in `report`
    (core/uploads.py). The preview, the error workbook and the confirmation use these and never
    read the file again. Kept in the database, so any app process can confirm it.
    """

    class Status(models.TextChoices):
        PREVIEWED = "previewed", "Đang xem trước"
        IMPORTED = "imported", "Đã nhập"
        REJECTED = "rejected", "Có lỗi"

    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name="người tải lên",
    )
    uploaded_at = models.DateTimeField("thời điểm tải lên", auto_now_add=True)
    kind = models.CharField("loại dữ liệu", max_length=30)
    filename = models.CharField("tên tệp", max_length=255)
    parsed = models.BinaryField("dữ liệu đã đọc", null=True)
    report = models.JSONField("kết quả kiểm tra", null=True)
    status = models.CharField(
        "trạng thái", max_length=20, choices=Status.choices, default=Status.PREVIEWED
    )
    summary = models.CharField("kết quả", max_length=255, blank=True)

    class Meta:
        verbose_name = "tệp nhập"
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return self.filename


class RuleSet(models.Model):
    """The values of a regulation's rules from `effective_from` until the next rule set."""

    FAMILIES = list(Family.LABELS.items())

    # Which regulations: the Charter's implementing rules, or the annual assessment's.
    family = models.CharField("lĩnh vực", max_length=20, choices=FAMILIES, default=Family.CHARTER)
    name = models.CharField("văn bản quy định", max_length=200)
    effective_from = models.DateField("có hiệu lực từ")
    values = models.JSONField("giá trị", default=dict)
    note = models.TextField("ghi chú", blank=True)

    class Meta:
        verbose_name = "bộ quy định"
        ordering = ["-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["family", "effective_from"], name="rule_set_one_per_family_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} (từ {self.effective_from:%d/%m/%Y})"


class RuleException(models.Model):
    """An exception to a rule, recorded by an authorised officer with its reason and decision."""

    scope_path = "org_path"
    path_copy_field = "org_path"

    rule_key = models.CharField("quy định", max_length=60)
    target_type = models.CharField("loại đối tượng", max_length=40)
    target_id = models.BigIntegerField("mã đối tượng")
    org_path = models.CharField("đường dẫn tổ chức", max_length=255, db_index=True)
    reason = models.TextField("lý do")
    decision_number = models.CharField("số văn bản", max_length=60, blank=True)
    decision_body = models.CharField("cơ quan đồng ý", max_length=200, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name="người ghi nhận",
    )
    at = models.DateTimeField("thời điểm", auto_now_add=True)

    unscoped = models.Manager()
    objects = ScopedManager()

    class Meta:
        verbose_name = "ngoại lệ quy định"
        indexes = [models.Index(fields=["target_type", "target_id"], name="ruleexc_target_idx")]

    def __str__(self) -> str:
        return f"{self.rule_key}: {self.reason[:40]}"


class Holiday(models.Model):
    """A public holiday or a day off in lieu: not a working day for deadlines counted in working
    days (ceremony, recognition review, transfers; domain.md "Rules change, so rules are data").

    The first migration fills the years around today from the `holidays` package's Vietnamese
    calendar (lunar Tết and Giỗ Tổ included); the administrator adds the days off the Government
    announces each year and removes what it moves.
    """

    day = models.DateField("ngày nghỉ", unique=True)
    name = models.CharField("tên ngày lễ", max_length=150)

    class Meta:
        verbose_name = "ngày nghỉ lễ"
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y} {self.name}"


class DataGeneration(models.Model):
    """One row whose token changes whenever the data is replaced wholesale (`dangvien restore`).

    Unit versions (reports.models.UnitVersion) go back to older values with a restored database,
    so a page cached under them could be found again showing data that is gone; the rendered
    member list's cache key includes this token too (members/selectors.py list_cache_key).
    """

    token = models.CharField("mã thế hệ dữ liệu", max_length=64)
    changed_at = models.DateTimeField("thời điểm thay đổi", auto_now=True)

    class Meta:
        verbose_name = "thế hệ dữ liệu"

    def __str__(self) -> str:
        return self.token
