"""The check of a whole `dangvien import orgs` file against the tree as it will be after the
import (`OrgsPlan`): each row parsed, then its parent, placement, cycles, founding date and the
acting user's scope; an update of a code outside that scope kept as a conflict.

Only a plan without a single problem is written (importing_writing.py).
"""

import copy
import datetime

from dangvien.core.errors import OUTSIDE_CONFLICT
from dangvien.core.importing import ImportReport, bad_cells
from dangvien.core.paths import path_ids
from dangvien.core.roles import Capability
from dangvien.core.scope import scope_of, sees_org
from dangvien.core.spreadsheets import Problem, cell_text, parse_date, read_table
from dangvien.core.validation import field_problems
from dangvien.core.vntext import fold
from dangvien.members import conflicts
from dangvien.members.models import ConflictKind
from dangvien.organizations import history
from dangvien.organizations.importing_columns import (
    CELL_FIELDS,
    CODE,
    COLUMNS,
    FOUNDED,
    KIND,
    KIND_BY_LABEL,
    NAME,
    PARENT,
    SECTOR,
    SECTOR_BY_LABEL,
    SECTORS,
    PlannedOrg,
    sector_label,
)
from dangvien.organizations.models import Organization, OrgKind
from dangvien.organizations.services import members_kind_refusal, placement_error


class OrgsPlan:
    """The whole file checked against the database; `problems` empty means it can be written."""

    def __init__(self, content: bytes, filename: str, actor) -> None:
        self.actor = actor
        self.scope = scope_of(actor) if actor is not None else None
        table = read_table(content, COLUMNS, filename)
        self.report = ImportReport(kind="orgs", warnings=table.warnings, problems=table.problems)
        self.planned: dict[str, PlannedOrg] = {}
        self.collisions: list[conflicts.Collision] = []
        # An optional column left out of the file leaves what is stored alone.
        self.with_founding, self.with_sector = "founded_on" in table.keys, "sector" in table.keys
        self.today = history.today()
        if not table.problems:
            self._parse_rows(table.rows)
            self._load_existing()
            self._check_rows()

    def problem(self, row: int, column: str | None, message: str) -> None:
        self.report.problems.append(Problem(row, column, message))

    def may_manage(self, org: Organization) -> bool:
        return self.scope is None or self.scope.allows(Capability.MANAGE_ORGS, org.path)

    def _parse_rows(self, rows) -> None:
        for number, values in rows:
            if refused := bad_cells(number, values, COLUMNS, CELL_FIELDS):
                self.report.problems.extend(refused)  # the row is not parsed further
                continue
            code, name = cell_text(values["code"]), " ".join(cell_text(values["name"]).split())
            kind_text, parent_code = cell_text(values["kind"]), cell_text(values["parent_code"])
            if not code:
                self.problem(number, CODE, "không được để trống.")
            if not name:
                self.problem(number, NAME, "không được để trống.")
            for key, message in field_problems(
                Organization, {"code": code, "name": name}, codes=("code",)
            ):
                self.problem(number, CODE if key == "code" else NAME, message)
            kind = KIND_BY_LABEL.get(fold(kind_text))
            if not kind_text:
                self.problem(number, KIND, "không được để trống.")
            elif kind is None:
                self.problem(number, KIND, f"“{kind_text}” không phải một loại tổ chức hợp lệ.")
            if not code:
                continue
            if code in self.planned:
                first = self.planned[code].row
                self.problem(number, CODE, f"mã {code} bị trùng với dòng {first}.")
                continue
            if parent_code == code:
                self.problem(number, PARENT, "một tổ chức không thể là cấp trên của chính nó.")
            self.planned[code] = PlannedOrg(
                number,
                code,
                name,
                kind or "",
                parent_code or None,
                founded_on=self._founded_on(number, values["founded_on"]),
                sector=self._sector(number, cell_text(values["sector"])),
            )

    def _founded_on(self, number: int, value) -> datetime.date | None:
        if value is None or not cell_text(value):
            return None
        try:
            founded_on = parse_date(value)
        except ValueError as exc:
            self.problem(number, FOUNDED, str(exc))
            return None
        if founded_on > self.today:
            self.problem(number, FOUNDED, "không thể ở tương lai.")
        for _key, message in field_problems(Organization, {"founded_on": founded_on}):
            self.problem(number, FOUNDED, message)
        return founded_on

    def _sector(self, number: int, text: str) -> str:
        sector = SECTOR_BY_LABEL.get(fold(text), "") if text else ""
        if text and not sector:
            self.problem(number, SECTOR, f"“{text}” không phải loại hình hợp lệ ({SECTORS}).")
        return sector

    def _load_existing(self) -> None:
        codes = set(self.planned) | {p.parent_code for p in self.planned.values() if p.parent_code}
        self.existing: dict[str, Organization] = {}
        codes_list = sorted(codes)
        for start in range(0, len(codes_list), 500):
            chunk = codes_list[start : start + 500]
            for org in Organization.unscoped.filter(code__in=chunk).select_related("parent"):
                self.existing[org.code] = org
        # Codes of the ancestors of every organisation involved, to follow parent chains.
        ancestor_ids = {pk for org in self.existing.values() for pk in path_ids(org.path)}
        self.code_by_id = dict(
            Organization.unscoped.filter(pk__in=ancestor_ids).values_list("pk", "code")
        )

    def _final_parent(self, code: str) -> str | None:
        if code in self.planned:
            return self.planned[code].parent_code
        org = self.existing.get(code)
        return self.code_by_id.get(org.parent_id) if org and org.parent_id else None

    def _kind_of(self, code: str) -> str | None:
        if code in self.planned:
            return self.planned[code].kind or None
        org = self.existing.get(code)
        return org.kind if org else None

    def _check_rows(self) -> None:
        for planned in self.planned.values():
            planned.existing = self.existing.get(planned.code)
            self._check_parent(planned)
            self._check_cycle(planned)
            if planned.existing is not None:
                self._check_update(planned)
            else:
                self._check_founding_under_parent(planned)
        self._check_children_of_changed_kinds()
        self.report.planned = sorted(self.planned.values(), key=lambda p: p.row)

    def _check_parent(self, planned: PlannedOrg) -> None:
        parent_code = planned.parent_code
        parent_kind = None
        if parent_code:
            parent = self.existing.get(parent_code)
            if parent_code not in self.planned and (parent is None or not self.may_manage(parent)):
                self.problem(
                    planned.row,
                    PARENT,
                    f"không tìm thấy tổ chức mã {parent_code} trong tệp "
                    "hoặc trong phạm vi quản lý.",
                )
                return
            if parent_code not in self.planned and not parent.is_active:
                self.problem(planned.row, PARENT, f"{parent.name} đã giải thể.")
                return
            parent_kind = self._kind_of(parent_code)
        elif self.scope is not None and not self.scope.everything:
            self.problem(
                planned.row, PARENT, "chỉ quản trị hệ thống được tạo tổ chức cấp cao nhất."
            )
            return
        if not planned.kind or (parent_code and parent_kind is None):
            return  # the kind itself is already reported as a problem
        if error := placement_error(planned.kind, parent_kind):
            self.problem(planned.row, PARENT if parent_code else KIND, error)

    def _check_cycle(self, planned: PlannedOrg) -> None:
        seen, code = {planned.code}, self._final_parent(planned.code)
        while code is not None:
            if code in seen:
                self.problem(planned.row, PARENT, "cấp trên tạo thành vòng lặp trong cây tổ chức.")
                return
            seen.add(code)
            code = self._final_parent(code)

    def _check_update(self, planned: PlannedOrg) -> None:
        org = planned.existing
        current_parent = self.code_by_id.get(org.parent_id) if org.parent_id else None
        changes = {}
        if org.name != planned.name:
            changes["name"] = [org.name, planned.name]
        if planned.kind and org.kind != planned.kind:
            changes["kind"] = [OrgKind(org.kind).label, OrgKind(planned.kind).label]
        if current_parent != planned.parent_code:
            changes["parent"] = [current_parent, planned.parent_code]
        if self.with_sector and org.sector != planned.sector:
            changes["sector"] = [sector_label(org.sector), sector_label(planned.sector)]
        if self.with_founding and org.founded_on != planned.founded_on:
            changes["founded_on"] = [org.founded_on, planned.founded_on]
            self._check_founding(planned)
        planned.changes = changes
        if self.scope is not None and not sees_org(self.actor, org.path):
            self._outside(planned, org)  # even unchanged: "không đổi" would tell it exists
            return
        if not changes:
            return
        if not self.may_manage(org):
            self.problem(planned.row, CODE, f"mã {org.code} đã được dùng ngoài phạm vi quản lý.")
        elif not org.is_active:
            self.problem(planned.row, CODE, f"{org.name} đã giải thể, không thể cập nhật.")
        elif "kind" in changes and (refusal := members_kind_refusal(org, planned.kind)):
            self.problem(planned.row, KIND, refusal)

    def _check_founding(self, planned: PlannedOrg) -> None:
        """A corrected founding date stays before the organisation's first change or end, and
        not before its parent's founding or a later change of the parent."""
        if refusal := history.founding_refusal(planned.existing, planned.founded_on):
            self.problem(planned.row, FOUNDED, refusal)

    def _check_founding_under_parent(self, planned: PlannedOrg) -> None:
        """A new organisation is not founded before its parent, as the parent will stand after
        the import: founded when its row says, moved today when its row moves it; without a
        founding date only under a parent that stood there always (`history.undated_refusal`)."""
        parent_code, founded_on = planned.parent_code, planned.founded_on
        if not parent_code:
            return
        undated = "là bắt buộc và " if founded_on is None else ""
        parent, row = self.existing.get(parent_code), self.planned.get(parent_code)
        if parent is None:  # new in the file too (or not found: already said)
            if row is not None and (
                refusal := history.before_parent_founding(
                    row.name, row.founded_on, founded_on or datetime.date.min
                )
            ):
                self.problem(planned.row, FOUNDED, undated + refusal)
            return
        if row is not None:
            current_parent = self.code_by_id.get(parent.parent_id) if parent.parent_id else None
            if row.parent_code != current_parent and (founded_on or datetime.date.min) < self.today:
                self.problem(
                    planned.row,
                    FOUNDED,
                    f"{undated}không được trước ngày {self.today:%d/%m/%Y}, khi tổ chức cấp trên "
                    f"{row.name} được chuyển (dòng {row.row}).",
                )
                return
            if self.with_founding and row.founded_on != parent.founded_on:
                parent = copy.copy(parent)
                parent.founded_on = row.founded_on  # corrected by its row
        if founded_on is None:
            refusal = history.undated_refusal(parent)
        else:
            refusal = history.under_parent_refusal(parent, founded_on)
        if refusal:
            self.problem(planned.row, FOUNDED, refusal)

    def _outside(self, planned: PlannedOrg, org: Organization) -> None:
        """The code belongs to an organisation the actor may not see: said without which, and
        kept for the officers above both (recorded by `import_orgs`, whatever the outcome)."""
        self.problem(planned.row, CODE, OUTSIDE_CONFLICT)
        parent = self.existing.get(planned.parent_code) if planned.parent_code else None
        if parent is None or not self.may_manage(parent):
            return  # no side of ours to record: the parent is already refused as not found
        self.collisions.append(
            conflicts.Collision(
                ConflictKind.ORG_CODE,
                org.code,
                org,
                org.path,
                parent.path,
                attempted_label=planned.name,
                existing_label=f"{org.name} (mã {org.code})",
                where=f"dòng {planned.row}",
            )
        )

    def _check_children_of_changed_kinds(self) -> None:
        changed = {
            p.existing.pk: p for p in self.planned.values() if p.existing and "kind" in p.changes
        }
        if not changed:
            return
        children = Organization.unscoped.filter(parent_id__in=changed, ended_on__isnull=True)
        for child in children:
            if child.code in self.planned:
                continue  # its own row is checked against the final tree
            parent = changed[child.parent_id]
            if error := placement_error(child.kind, parent.kind):
                self.problem(parent.row, KIND, f"tổ chức trực thuộc {child.code}: {error}")
