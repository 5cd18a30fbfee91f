"""Forms of the assessment pages: they parse input; the rules live in the services.

The grading screens carry one row of fields per member (or organisation). A row is sent to the
service only when its values differ from what is stored, so saving a screen of 100 members where
five changed writes five rows and a member added since the page was opened is left alone.
"""

from collections.abc import Callable

from django import forms
from django.utils import timezone

from dangvien.assessments.models import GRADES, RANK, SHORT_LABELS, Grade, NotGraded
from dangvien.assessments.self_forms import SelfForm
from dangvien.core import versions
from dangvien.core.forms import ScopedForm
from dangvien.core.roles import Capability
from dangvien.core.versions import VersionField
from dangvien.organizations.forms import OrgCodeField

NOT_GRADED_PREFIX = "ng:"


def grade_choices(blank: str = "—") -> list[tuple[str, str]]:
    """Grades labelled "1 · Xuất sắc" … "4 · Không hoàn thành": a focused list picks a grade by
    its digit, without any script."""
    return [("", blank)] + [(g.value, f"{RANK[g]} · {SHORT_LABELS[g]}") for g in GRADES]


def reason_choices(blank: str = "—") -> list[tuple[str, str]]:
    return [("", blank), *NotGraded.choices]


def outcome_choices(blank: str = "— chưa quyết định —") -> list:
    """A grade or a reason not to grade, in one list (final grades, organisation grades)."""
    return [
        ("", blank),
        ("Xếp loại", grade_choices()[1:]),
        (
            "Không xếp loại",
            [(NOT_GRADED_PREFIX + value, label) for value, label in NotGraded.choices],
        ),
    ]


def join_outcome(grade: str, not_graded: str) -> str:
    return grade or (NOT_GRADED_PREFIX + not_graded if not_graded else "")


def split_outcome(value: str) -> tuple[str, str]:
    """ "tot" → ("tot", ""); "ng:exempt" → ("", "exempt")."""
    if value.startswith(NOT_GRADED_PREFIX):
        return "", value[len(NOT_GRADED_PREFIX) :]
    return value, ""


class OpenRoundForm(ScopedForm):
    organization_code = OrgCodeField(
        label="Mã tổ chức mở đợt",
        help_text="Đợt áp dụng cho mọi đảng viên và tổ chức trực thuộc tổ chức này.",
    )
    year = forms.IntegerField(label="Năm đánh giá", min_value=1930, max_value=2100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year

    def clean(self):
        data = super().clean()
        data["organization"] = self.resolve_org("organization_code", Capability.MANAGE_ORGS)
        return data


class CommitmentForm(forms.Form):
    version = VersionField()
    level = forms.ChoiceField(
        label="Mức độ đăng ký phấn đấu", choices=[("", "— chọn mức —"), *Grade.choices]
    )
    pledges = forms.CharField(
        label="Cam kết tu dưỡng, rèn luyện",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class SelfAssessmentForm(forms.Form):
    # The year of the round the page was opened for: a round locked meanwhile refuses the save
    # in the member's words (services.submit_self_assessment), the text kept on the page.
    year = forms.IntegerField(
        required=False, min_value=1930, max_value=2100, widget=forms.HiddenInput
    )
    version = VersionField()
    self_form = forms.ChoiceField(
        label="Mẫu bản kiểm điểm",
        choices=SelfForm.choices,
        required=False,
        help_text="Theo hướng dẫn kiểm điểm (HD 25, HD 43-HD/BTCTW): 2A cho cán bộ lãnh đạo, "
        "quản lý; 2B cho cán bộ, công chức, viên chức; 2C cho đảng viên khác.",
    )
    self_grade = forms.ChoiceField(
        label="Tự xếp loại", choices=[("", "— chọn mức —"), *Grade.choices]
    )
    self_score = forms.IntegerField(
        label="Tự chấm điểm (thang 100)",
        required=False,
        min_value=0,
        max_value=100,
        help_text="Từ năm 2025 (QĐ 366-QĐ/TW): điểm tự chấm theo khung tiêu chí.",
    )
    self_assessment = forms.CharField(
        label="Bản tự kiểm điểm",
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text="Ưu điểm, khuyết điểm, kết quả thực hiện cam kết đầu năm và hướng khắc phục.",
    )

    def __init__(self, *args, scoring: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not scoring:  # a score only in the years scored out of 100 (QĐ 366)
            del self.fields["self_score"]


class PaperSelfAssessmentForm(forms.Form):
    """What the branch copies from a self-assessment written on paper."""

    version = VersionField()
    self_grade = forms.ChoiceField(
        label="Mức tự xếp loại ghi trên bản giấy", choices=[("", "— chọn mức —"), *Grade.choices]
    )
    received_on = forms.DateField(
        label="Ngày chi bộ nhận bản giấy", help_text="Ngày/tháng/năm, ví dụ 05/12/2026."
    )
    note = forms.CharField(
        label="Tóm tắt hoặc ghi chú",
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Không bắt buộc: bản giấy lưu tại chi bộ.",
    )


class CorrectionForm(forms.Form):
    service_fields = {"grade": "outcome"}  # the services' refusals on the grade, on this field
    version = VersionField()
    outcome = forms.ChoiceField(label="Kết quả sau đính chính", choices=outcome_choices("—"))
    reason = forms.CharField(
        label="Lý do và căn cứ đính chính",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    exception_reason = forms.CharField(
        label="Lý do ngoại lệ",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Chỉ dùng khi đính chính làm số xuất sắc vượt giới hạn, hoặc xếp loại đảng "
        "viên bị kỷ luật trong năm cao hơn mức bộ quy tắc cho phép: ghi văn bản cho phép của "
        "cấp có thẩm quyền.",
    )


class RowsForm(forms.Form):
    """A form of many rows: fields named "<letter>-<row id>", one row per member or organisation.

    Subclasses declare `ROW_FIELDS` (letter → (name, field factory)) and compute each row's
    stored values; `changed_rows()` gives the cleaned values of the rows that changed.
    """

    ROW_FIELDS: dict[str, tuple[str, Callable[[], forms.Field]]] = {}
    ROW_LABELS: dict[str, str] = {}
    ACTIONS = "assessment."  # the history whose changes make a row's version

    def __init__(self, data=None, *, rows: list, editable: bool = True, **kwargs):
        super().__init__(data, **kwargs)
        self.rows, self.editable = rows, editable
        self.row_errors: dict[int, str] = {}
        tokens = self.row_versions()
        for row in self.editable_rows():
            key, stored = self.row_key(row), self.initial_values(row)
            self.fields[f"v-{key}"] = VersionField(initial=tokens[key])
            for letter, (name, factory) in self.ROW_FIELDS.items():
                field = factory()
                field.initial = stored.get(name, field.initial)
                field.widget.attrs["aria-label"] = (
                    f"{self.ROW_LABELS[name]} – {self.row_label(row)}"
                )
                self.fields[f"{letter}-{key}"] = field

    def editable_rows(self) -> list:
        return self.rows if self.editable else []

    def row_key(self, row) -> int:
        raise NotImplementedError

    def row_label(self, row) -> str:
        return str(row.member)

    def row_record(self, row):
        """The stored assessment of a row (None before the first save) and what it assesses."""
        return row.assessment, row.member

    def row_versions(self) -> dict[int, str]:
        """The version each editable row shows (one query for the rows' history marks)."""
        records = {self.row_key(row): self.row_record(row) for row in self.editable_rows()}
        if not records:
            return {}
        model = type(next(iter(records.values()))[1])
        seen = versions.last_seen_many(model, records, self.ACTIONS)
        return {
            key: str(versions.Token(a.version if a is not None else 0, seen.get(key, 0)))
            for key, (a, _target) in records.items()
        }

    def refresh_versions(self, current: dict[int, str]) -> None:
        """After rows were refused as stale, saving again applies what the user typed there."""
        if current:
            data = self.data.copy()
            for key, token in current.items():
                data[f"v-{key}"] = token
            self.data = data

    def stored_values(self, row) -> dict:
        raise NotImplementedError

    def initial_values(self, row) -> dict:
        return self.stored_values(row)

    def skip(self, row, values: dict) -> bool:
        """A changed row that still means "nothing to save" (left blank, nothing stored)."""
        return False

    def _sent(self) -> set[str]:
        return set(self.data.getlist("row")) if self.is_bound else set()

    def changed_rows(self) -> dict[int, dict]:
        changed = {}
        for row in self.editable_rows():
            key = self.row_key(row)
            if str(key) not in self._sent():
                continue
            values = {
                name: self.cleaned_data[f"{letter}-{key}"]
                for letter, (name, _factory) in self.ROW_FIELDS.items()
            }
            if values != self.stored_values(row) and not self.skip(row, values):
                changed[key] = {**values, "version": self.cleaned_data[f"v-{key}"]}
        return changed

    def freeze(self) -> None:
        """Show what the form holds, not to be changed (a round locked meanwhile): its fields
        are disabled on the page only, so they still show the values a refused POST sent."""
        for field in self.fields.values():
            field.widget.attrs["disabled"] = True

    def add_row_errors(self, errors: dict[int, str]) -> None:
        self.row_errors.update(errors)

    def table(self) -> list[dict]:
        """Each row with its bound fields by name and its error, for the template."""
        editable = {self.row_key(row) for row in self.editable_rows()}
        result = []
        for row in self.rows:
            key = self.row_key(row)
            fields, errors = {}, []
            version = None
            if key in editable:
                for letter, (name, _factory) in self.ROW_FIELDS.items():
                    bound = self[f"{letter}-{key}"]
                    fields[name] = bound
                    errors.extend(bound.errors)
                version = self[f"v-{key}"]
            if key in self.row_errors:
                errors.append(self.row_errors[key])
            result.append(
                {"row": row, "key": key, "fields": fields, "errors": errors, "version": version}
            )
        return result


def _grade_field():
    select = forms.Select(attrs={"data-grade": ""})
    return forms.ChoiceField(choices=grade_choices(), required=False, widget=select)


def _reason_field():
    select = forms.Select(attrs={"data-reason": ""})
    return forms.ChoiceField(choices=reason_choices(), required=False, widget=select)


def _comment_field():
    return forms.CharField(required=False, max_length=2000)


def _flag_field():
    return forms.BooleanField(required=False)


def _outcome_field():
    select = forms.Select(attrs={"data-grade": ""})
    return forms.ChoiceField(choices=outcome_choices(), required=False, widget=select)


def _score_field():
    return forms.IntegerField(required=False, min_value=0, max_value=100)


def _percent_field():
    return forms.IntegerField(required=False, min_value=0, max_value=100)


def _months_field():
    return forms.IntegerField(required=False, min_value=0, max_value=12)


def _yes_no_field():
    """Yes, no, or not given (a condition the branch has not assessed)."""
    return forms.TypedChoiceField(
        choices=[("", "—"), ("true", "Có"), ("false", "Không")],
        coerce=lambda value: value == "true",
        empty_value=None,
        required=False,
        widget=forms.Select(attrs={"class": "yes-no"}),
    )


class BranchGradingForm(RowsForm):
    """The fast grading screen: the branch's proposed grade of every member, with the months of
    sick leave (HD 21 mục II.6) and, in a year scored out of 100 (QĐ 366 Điều 11), the score and
    the conditions on top of it."""

    ROW_FIELDS = {
        "g": ("grade", _grade_field),
        "n": ("not_graded", _reason_field),
        "c": ("comment", _comment_field),
        "d": ("disciplined", _flag_field),
        "m": ("sick_months", _months_field),
    }
    SCORE_FIELDS = {
        "s": ("score", _score_field),
        "t": ("on_time", _yes_no_field),
        "e": ("exceeding", _percent_field),
        "r": ("remedied", _yes_no_field),
    }
    ROW_LABELS = {
        "grade": "Chi bộ đề xuất",
        "not_graded": "Không xếp loại vì",
        "comment": "Nhận xét",
        "disciplined": "Bị kỷ luật trong năm",
        "sick_months": "Số tháng nghỉ ốm",
        "score": "Điểm (thang 100)",
        "on_time": "Hoàn thành 100% nhiệm vụ đúng hạn",
        "exceeding": "Tỷ lệ nhiệm vụ vượt yêu cầu (%)",
        "remedied": "Đã khắc phục hết hạn chế đã chỉ ra",
    }

    def __init__(
        self,
        data=None,
        *,
        rows,
        prefill_self: bool = False,
        disciplined=frozenset(),
        scoring: bool = False,
        **kwargs,
    ):
        self.prefill_self = prefill_self
        self.disciplined = disciplined  # members with a discipline decision of the year on record
        self.scoring = scoring
        if scoring:
            self.ROW_FIELDS = {**self.ROW_FIELDS, **self.SCORE_FIELDS}
        super().__init__(data, rows=rows, **kwargs)

    def editable_rows(self):
        return [row for row in super().editable_rows() if not row.final]

    def row_key(self, row) -> int:
        return row.member.pk

    def stored_values(self, row) -> dict:
        a = row.assessment
        values = {
            "grade": a.proposed_grade if a else "",
            "not_graded": a.proposed_not_graded if a else "",
            "comment": a.branch_comment if a else "",
            "disciplined": a.disciplined_in_year if a else False,
            "sick_months": a.sick_months if a else None,
        }
        if self.scoring:
            values |= {
                "score": a.score if a else None,
                "on_time": a.tasks_on_time if a else None,
                "exceeding": a.exceeding_percent if a else None,
                "remedied": a.shortcomings_remedied if a else None,
            }
        return values

    def initial_values(self, row) -> dict:
        """What is stored; a member without a proposal yet gets "not graded: exempt" when
        exempt from party activity, or their self-grade when the secretary asked for it; one
        with a discipline decision of the year on record is marked disciplined."""
        values = self.stored_values(row)
        if row.member.pk in self.disciplined:
            values["disciplined"] = True
        if not values["grade"] and not values["not_graded"]:
            if row.member.exempt_since:
                values["not_graded"] = NotGraded.EXEMPT
            elif self.prefill_self and row.assessment and row.assessment.self_grade:
                values["grade"] = row.assessment.self_grade
        return values


class DecisionForm(RowsForm):
    """The base committee's final grade of every member; the branch's proposal preselected."""

    ROW_FIELDS = {"f": ("outcome", _outcome_field)}
    ROW_LABELS = {"outcome": "Kết quả xếp loại"}

    exception_reason = forms.CharField(
        label="Lý do ngoại lệ",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Chỉ dùng khi số xuất sắc vượt giới hạn, hoặc khi xếp loại đảng viên bị kỷ "
        "luật trong năm cao hơn mức bộ quy tắc cho phép (tự phát hiện, khắc phục vi phạm, QĐ "
        "124): ghi văn bản cho phép của cấp có thẩm quyền. Ngoại lệ được lưu cùng lý do.",
    )

    def row_key(self, row) -> int:
        return row.member.pk

    def stored_values(self, row) -> dict:
        a = row.assessment
        final = join_outcome(a.grade, a.not_graded) if row.final else ""
        return {"outcome": final}

    def initial_values(self, row) -> dict:
        a = row.assessment
        if row.final:
            return self.stored_values(row)
        if a and (a.proposed_grade or a.proposed_not_graded):
            return {"outcome": join_outcome(a.proposed_grade, a.proposed_not_graded)}
        if row.member.exempt_since:
            return {"outcome": NOT_GRADED_PREFIX + NotGraded.EXEMPT}
        return {"outcome": ""}

    def decisions(self) -> dict[int, dict]:
        result = {}
        for key, values in self.changed_rows().items():
            grade, not_graded = split_outcome(values["outcome"])
            result[key] = {"grade": grade, "not_graded": not_graded, "version": values["version"]}
        return result

    def preview_counts(self) -> dict[str, int]:
        """How many of each grade the screen would save as it stands."""
        counts = {grade.value: 0 for grade in GRADES}
        for entry in self.table():
            bound = entry["fields"].get("outcome")
            if bound is not None:
                value = bound.value()
            else:
                value = self.stored_values(entry["row"])["outcome"]
            if value in counts:
                counts[value] += 1
        return counts


class OrgGradingForm(RowsForm):
    """The upper level's grades of its direct children."""

    ROW_FIELDS = {
        "o": ("outcome", _outcome_field),
        "x": ("discipline_in_year", _flag_field),
        "t": ("note", _comment_field),
    }
    SCORE_FIELDS = {
        "s": ("score", _score_field),
        "l": ("late", _percent_field),
        "e": ("exceeding", _percent_field),
    }
    ROW_LABELS = {
        "outcome": "Xếp loại",
        "discipline_in_year": "Có tổ chức trực thuộc hoặc cấp ủy viên bị kỷ luật trong năm",
        "note": "Ghi chú",
        "score": "Điểm (thang 100)",
        "late": "Tỷ lệ nhiệm vụ chậm tiến độ (%)",
        "exceeding": "Tỷ lệ nhiệm vụ vượt yêu cầu (%)",
    }

    correction_reason = forms.CharField(
        label="Lý do đính chính (đợt đánh giá đã khóa)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    exception_reason = forms.CharField(
        label="Lý do vượt giới hạn xuất sắc (nếu cấp có thẩm quyền cho phép)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Chỉ ghi khi số tổ chức xuất sắc vượt giới hạn theo bộ quy định của năm "
        "(QĐ 124 Điều 12) và đã có văn bản cho phép; lý do được lưu lại.",
    )

    def __init__(self, data=None, *, rows, scoring: bool = False, **kwargs):
        self.scoring = scoring  # a year scored out of 100 (QĐ 366 Điều 11)
        if scoring:
            self.ROW_FIELDS = {**self.ROW_FIELDS, **self.SCORE_FIELDS}
        super().__init__(data, rows=rows, **kwargs)

    def row_key(self, row) -> int:
        return row["org"].pk

    def row_label(self, row) -> str:
        return row["org"].name

    def row_record(self, row):
        return row["assessment"], row["org"]

    def stored_values(self, row) -> dict:
        a = row["assessment"]
        if a is None:
            values = {"outcome": "", "discipline_in_year": False, "note": ""}
        else:
            values = {
                "outcome": join_outcome(a.grade, a.not_graded),
                "discipline_in_year": a.discipline_in_year,
                "note": a.not_graded_note,
            }
        if self.scoring:
            values |= {
                "score": a.score if a else None,
                "late": a.late_percent if a else None,
                "exceeding": a.exceeding_percent if a else None,
            }
        return values

    def skip(self, row, values: dict) -> bool:
        return row["assessment"] is None and not values["outcome"]

    def initial_values(self, row) -> dict:
        values = self.stored_values(row)
        if row["assessment"] is None:
            values["discipline_in_year"] = (
                row["org"].member_disciplined or row["org"].org_disciplined
            )
        return values

    def grades(self) -> dict[int, dict]:
        result = {}
        for key, values in self.changed_rows().items():
            grade, not_graded = split_outcome(values["outcome"])
            result[key] = {
                "grade": grade,
                "not_graded": not_graded,
                "discipline_in_year": values["discipline_in_year"],
                "note": values["note"],
                "score": values.get("score"),
                "late": values.get("late"),
                "exceeding": values.get("exceeding"),
                "version": values["version"],
            }
        return result


class QuarterForm(RowsForm):
    """The branch's reviews of a quarter (assessments/quarters.py): a grade, a score, a comment
    per member; a row left empty is not recorded."""

    ACTIONS = "quarter."
    ROW_FIELDS = {
        "g": ("grade", _grade_field),
        "s": ("score", _score_field),
        "c": ("comment", _comment_field),
    }
    ROW_LABELS = {"grade": "Xếp loại quý", "score": "Điểm (thang 100)", "comment": "Nhận xét"}

    def row_key(self, row) -> int:
        return row.member.pk

    def row_record(self, row):
        return row.review, row.member

    def stored_values(self, row) -> dict:
        r = row.review
        return {
            "grade": r.grade if r else "",
            "score": r.score if r else None,
            "comment": r.comment if r else "",
        }

    def skip(self, row, values: dict) -> bool:
        return row.review is None and not any(values.values())
