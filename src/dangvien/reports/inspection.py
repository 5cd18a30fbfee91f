"""The inspection report (báo cáo kiểm tra, giám sát và kỷ luật) of an organisation and
everything below it for a year (formats.md, "Report JSON", `inspection`).

What the bodies of the subtree (committees, inspection committees, branches: `Inspection.body`)
inspected and supervised with decisions dated in the year, counted as **distinct subjects**: an
organisation or a member inspected twice counts once, in each breakdown (by form, by direct
child) as in the total, so a total is not the sum of its forms. `vi_pham` counts the distinct
subjects of either activity concluded with a violation, `phai_ky_luat` those of them concluded
"must be disciplined"; `ky_luat` counts the discipline
decisions dated in the year on subjects of the subtree, by form. Annulled records count nowhere;
conclusions count when reached by the year's end (`_concluded_by`).

The tree is read as it stood at the year's end, as every report reads it: the body of each
activity is placed by its state then (an organisation that ended within the year where it last
stood), and a decision by the state of the subject's unit (the member's branch on the day, or
the organisation disciplined). While nothing reshaped the tree since the year began, the copies
`Inspection.body_path` and `Discipline.subject_path` answer without the join. Every figure is a
grouped count computed by the database: no row is loaded into Python."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from dangvien.discipline.models import OFFICIAL_FORMS, ORGANIZATION_FORMS, Discipline
from dangvien.inspections.models import (
    VIOLATIONS,
    Activity,
    Conclusion,
    Inspection,
    InspectionForm,
)
from dangvien.organizations import dated
from dangvien.organizations.models import Organization, kind_label
from dangvien.reports.membership import active_children, as_it_stood, child_of
from dangvien.reports.periods import year_end

# The forms each activity lists (formats.md): every form for inspection; a supervision is
# regular or thematic (Điều lệ Đảng).
ACTIVITY_FORMS = {
    Activity.INSPECTION: tuple(InspectionForm),
    Activity.SUPERVISION: (InspectionForm.REGULAR, InspectionForm.THEMATIC),
}


@dataclass(frozen=True)
class Subjects:
    """Distinct organisations and members."""

    to_chuc: int = 0
    dang_vien: int = 0

    @property
    def total(self) -> int:
        return self.to_chuc + self.dang_vien


@dataclass(frozen=True)
class ActivityCounts:
    """One activity: its distinct subjects in all and per form."""

    activity: str
    subjects: Subjects
    by_form: dict[str, Subjects]

    @property
    def label(self) -> str:
        return Activity(self.activity).label


@dataclass(frozen=True)
class ChildInspection:
    code: str
    name: str
    kind: str
    kiem_tra: Subjects
    giam_sat: Subjects
    vi_pham: Subjects
    ky_luat: int  # decisions

    @property
    def kind_label(self) -> str:
        return kind_label(self.kind)


@dataclass(frozen=True)
class InspectionReport:
    org_code: str
    org_name: str
    org_kind: str
    year: int
    as_of: datetime.date
    kiem_tra: ActivityCounts
    giam_sat: ActivityCounts
    vi_pham: Subjects
    phai_ky_luat: Subjects  # of those, concluded "must be disciplined"
    ky_luat_to_chuc: dict[str, int]
    ky_luat_dang_vien: dict[str, int]
    children: list[ChildInspection] = field(default_factory=list)

    @property
    def org_kind_label(self) -> str:
        return kind_label(self.org_kind)

    @property
    def disciplined(self) -> int:
        return sum(self.ky_luat_to_chuc.values()) + sum(self.ky_luat_dang_vien.values())


def inspection_report(org: Organization, year: int) -> InspectionReport:
    """The year's inspections, supervisions and discipline in `org`'s subtree (module doc)."""
    with dated.one_reading():
        as_of = year_end(year, timezone.localdate())
        stood = as_it_stood(org, as_of)
        return _build(stood, year, as_of)


def _subjects(row: dict) -> Subjects:
    return Subjects(to_chuc=row["to_chuc"], dang_vien=row["dang_vien"])


DISTINCT = {
    "to_chuc": Count("organization_id", distinct=True),
    "dang_vien": Count("member_id", distinct=True),
}


def _build(org: Organization, year: int, as_of: datetime.date) -> InspectionReport:
    activities = _activities(org, year, as_of)
    totals = {row["activity"]: _subjects(row) for row in _grouped(activities, "activity")}
    forms = {
        (row["activity"], row["form"]): _subjects(row)
        for row in _grouped(activities, "activity", "form")
    }
    concluded = _concluded_by(activities, as_of)
    violations = concluded.filter(conclusion__in=VIOLATIONS).aggregate(**DISTINCT)
    to_discipline = concluded.filter(conclusion=Conclusion.DISCIPLINE_NEEDED).aggregate(**DISTINCT)
    by_child = _by_child(org, activities, as_of)
    decisions = _decisions(org, year, as_of)
    discipline = {
        (row["on_member"], row["form"]): row["n"]
        for row in decisions.values("form", on_member=Q(member__isnull=False))
        .order_by()
        .annotate(n=Count("pk"))
    }
    decided_by_child = {
        _child_key(row["child"]): row["n"]
        for row in decisions.values(child=child_of("placed_path", org))
        .order_by()
        .annotate(n=Count("pk"))
    }
    return InspectionReport(
        org_code=org.code,
        org_name=org.name,
        org_kind=org.kind,
        year=year,
        as_of=as_of,
        kiem_tra=_activity(Activity.INSPECTION, totals, forms),
        giam_sat=_activity(Activity.SUPERVISION, totals, forms),
        vi_pham=_subjects(violations),
        phai_ky_luat=_subjects(to_discipline),
        ky_luat_to_chuc={
            form.value: discipline.get((False, form), 0) for form in ORGANIZATION_FORMS
        },
        ky_luat_dang_vien={form.value: discipline.get((True, form), 0) for form in OFFICIAL_FORMS},
        children=[
            ChildInspection(
                code=child.code,
                name=child.name,
                kind=child.kind,
                kiem_tra=by_child.get((child.pk, Activity.INSPECTION), Subjects()),
                giam_sat=by_child.get((child.pk, Activity.SUPERVISION), Subjects()),
                vi_pham=by_child.get((child.pk, "vi_pham"), Subjects()),
                ky_luat=decided_by_child.get(child.pk, 0),
            )
            for child in active_children(org, as_of)
        ],
    )


def _activity(activity: str, totals: dict, forms: dict) -> ActivityCounts:
    return ActivityCounts(
        activity=activity,
        subjects=totals.get(activity, Subjects()),
        by_form={
            form.value: forms.get((activity, form.value), Subjects())
            for form in ACTIVITY_FORMS[activity]
        },
    )


def _grouped(queryset: QuerySet, *fields: str) -> QuerySet:
    return queryset.values(*fields).order_by().annotate(**DISTINCT)


def _child_key(value: str | None) -> int | None:
    return int(value) if value else None


def _concluded_by(activities: QuerySet, day: datetime.date) -> QuerySet:
    """The activities concluded by `day` (the year's end): a conclusion reached after the year
    counts in no report of it, so a year's figures stay those reported at its end (a conclusion
    reopened or an activity annulled as recorded by mistake is a correction, and does)."""
    return activities.filter(concluded_on__lte=day)


def _by_child(
    org: Organization, activities: QuerySet, as_of: datetime.date
) -> dict[tuple, Subjects]:
    """(child id, activity) → distinct subjects, and (child id, "vi_pham") → those concluded
    with a violation: two grouped queries, however many children."""
    child = child_of("placed_path", org)
    found = {
        (_child_key(row["child"]), row["activity"]): _subjects(row)
        for row in _grouped(activities.annotate(child=child), "child", "activity")
    }
    violations = _concluded_by(activities, as_of).filter(conclusion__in=VIOLATIONS)
    violations = violations.annotate(child=child)
    for row in _grouped(violations, "child"):
        found[(_child_key(row["child"]), "vi_pham")] = _subjects(row)
    return found


def _activities(org: Organization, year: int, as_of: datetime.date) -> QuerySet[Inspection]:
    """The activities of `year` by bodies of `org`'s subtree as it stood at the year's end."""
    placed = dated.placed(
        Inspection.unscoped,
        "body",
        as_of,
        path="body_path",
        within=org.path,
        since=datetime.date(year, 1, 1),
    )
    return placed.filter(
        decided_on__year=year, annulled_at__isnull=True, placed_path__startswith=org.path
    )


def _decisions(org: Organization, year: int, as_of: datetime.date) -> QuerySet[Discipline]:
    """The discipline decisions of `year` on subjects of `org`'s subtree at the year's end."""
    placed = dated.placed(
        Discipline.unscoped,
        "unit",
        as_of,
        path="subject_path",
        within=org.path,
        since=datetime.date(year, 1, 1),
    )
    return placed.filter(
        decided_on__year=year, annulled_at__isnull=True, placed_path__startswith=org.path
    )
