"""The split screen's preview (organizations.views.split): the split rehearsed by the service
itself in a transaction rolled back, with the counts of each unit it concerns before and after
(those of the reorganisation screen) and what it will change; and the fingerprint that keeps a
stale preview from being confirmed."""

import datetime
import hashlib
import json
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count, Max, Q
from django.utils.crypto import salted_hmac

from dangvien.core.decisions import Decision
from dangvien.core.vntext import number
from dangvien.members import conflicts
from dangvien.members.models import ACTIVE_STATUSES, Member
from dangvien.organizations import services
from dangvien.organizations.models import Organization, OrgEvent, OrgKind
from dangvien.organizations.reorganising import (
    COUNTED_KINDS,
    Unit,
    members_below,
    unit_counts,
    unit_of,
)

_FINGERPRINT_SALT = "dangvien.organizations.views.split.fingerprint"


@dataclass
class SplitPreview:
    """A rehearsal that went through: the parent's counts (`total`), the original's and each
    new organisation's (`units`), before and after, and what the split will change."""

    total: Unit | None
    units: list[Unit]
    new_codes: set[str] = field(default_factory=set)
    lines: list[str] = field(default_factory=list)


class _RolledBack(Exception):
    """Leaves the rehearsal's transaction once the counts after are read."""


@conflicts.records_conflicts("Chia tách tổ chức")  # recorded once the rehearsal rolled back
def rehearse(
    user,
    org: Organization,
    parts: list[services.SplitPart],
    decision: Decision,
    end_original: bool,
) -> SplitPreview:
    """Run the split and roll it back (nothing written); a refusal is raised as the service
    raises it."""
    ids = [pk for pk in (org.parent_id, org.pk) if pk is not None]
    before, seen = unit_counts(ids), {}
    carried = members_below({child.path for part in parts for child in part.children})
    try:
        with transaction.atomic():
            created = services.split_organization(
                user, org, parts, decision, end_original=end_original
            )
            seen["new"] = [new.pk for new in created]
            seen["after"] = unit_counts(ids + seen["new"])
            raise _RolledBack
    except _RolledBack:
        pass
    finally:
        org.refresh_from_db()  # the service may have ended it inside the rehearsal
    after = seen["after"]
    units = [unit_of(before[pk], after[pk]) for pk in ids] + [_new(after[pk]) for pk in seen["new"]]
    total = units.pop(0) if org.parent_id is not None else None
    created = [(after[pk]["name"], after[pk]["code"]) for pk in seen["new"]]
    return SplitPreview(
        total,
        units,
        {code for _name, code in created},
        consequences(org, parts, decision, end_original, created, carried),
    )


def _new(after: dict) -> Unit:
    """A new organisation: nothing before."""
    before = {**after, "members": 0, **dict.fromkeys(COUNTED_KINDS, 0)}
    return Unit(after["code"], after["name"], OrgKind(after["kind"]).label, before, after)


def consequences(
    org: Organization,
    parts: list[services.SplitPart],
    decision: Decision,
    end_original: bool,
    created: list[tuple[str, str]],
    carried: int,
) -> list[str]:
    """What the confirmation will change, and how it is put right if it was a mistake."""
    day = decision.effective_on
    under = org.parent.name if org.parent else "cấp cao nhất"
    new = ", ".join(f"{name} (mã {code})" for name, code in created)
    lines = [
        f"Thành lập {number(len(created))} tổ chức mới trực thuộc {under} từ ngày "
        f"{day:%d/%m/%Y}: {new}."
    ]
    children = sum(len(part.children) for part in parts)
    if children:
        lines.append(
            f"{number(children)} tổ chức trực thuộc {org.name} chuyển sang tổ chức mới được chọn, "
            f"cùng toàn bộ tổ chức và {number(carried)} đảng viên trực thuộc."
        )
    members = sum(len(part.members) for part in parts)
    if members:
        last = day - datetime.timedelta(days=1)
        lines.append(
            f"{number(members)} đảng viên sinh hoạt ở chi bộ mới được chọn từ ngày "
            f"{day:%d/%m/%Y} (ở {org.name} đến hết ngày {last:%d/%m/%Y}); đây là sắp xếp tổ "
            "chức, không phải chuyển sinh hoạt đảng; quá trình sinh hoạt được giữ."
        )
    if end_original:
        lines.append(
            f"{org.name} giải thể từ ngày {day:%d/%m/%Y}; lịch sử của tổ chức ghi «Chia tách» "
            "sang từng tổ chức mới và «Giải thể» kèm tên các tổ chức mới. Vai trò của các tài "
            f"khoản được phân quyền ở {org.name} hết hiệu lực."
        )
    else:
        lines.append(
            f"{org.name} tiếp tục hoạt động với các tổ chức trực thuộc và đảng viên không chọn; "
            "lịch sử của tổ chức ghi «Chia tách» sang từng tổ chức mới."
        )
    lines.append(f"Báo cáo của những ngày trước ngày {day:%d/%m/%Y} giữ nguyên.")
    lines.append(_undo(org, end_original))
    return lines


def _undo(org: Organization, end_original: bool) -> str:
    """The ways back that exist: restoring the ended original, then absorbing each new one
    into it (which brings its organisations and members back, from the day of absorbing)."""
    restore = (
        f"trên trang {org.name} bấm «Khôi phục tổ chức» (có lý do), rồi " if end_original else ""
    )
    where = f"trên trang {org.parent.name} " if org.parent else ""
    return (
        f"Nếu chia tách nhầm: {restore}{where}dùng «Sắp xếp lại tổ chức trực thuộc» để sáp nhập "
        f"từng tổ chức mới vào {org.name}: tổ chức trực thuộc và đảng viên trở về từ ngày sáp "
        "nhập. Các sự kiện chia tách vẫn ở trong lịch sử, không tự hủy."
    )


def fingerprint(user, org: Organization, choices: dict, data: dict) -> str:
    """A digest of the choices, the decision and the tree the split acts on (the original's
    subtree and its parent: versions, parents, names, kinds, ends, paths; their events; the
    members active below the original, and those of the original itself): a confirmation whose
    preview was made on another state is refused."""
    concerned = Q(path__startswith=org.path) | Q(pk=org.parent_id)
    digest = hashlib.sha256()
    rows = (
        Organization.unscoped.filter(concerned)
        .order_by("pk")
        .values_list("pk", "version", "parent_id", "name", "kind", "ended_on", "path")
    )
    for row in rows.iterator(chunk_size=2000):
        digest.update(repr(row).encode())
    events = OrgEvent.unscoped.filter(
        Q(org__path__startswith=org.path) | Q(org_id=org.parent_id)
    ).aggregate(last=Max("pk"), annulled=Count("annulled_at"))
    active = Member.unscoped.filter(status__in=ACTIVE_STATUSES)
    below = active.filter(branch_path__startswith=org.path).aggregate(n=Count("pk"))
    own = list(active.filter(branch=org).order_by("pk").values_list("pk", flat=True))
    decision = [
        data["effective_on"],
        data["decision_number"],
        data["decision_body"],
        data["reason"],
        data["end_original"],
    ]
    payload = [user.pk, org.pk, choices, decision, events, below, own, digest.hexdigest()]
    text = json.dumps(payload, default=str, sort_keys=True)
    return salted_hmac(_FINGERPRINT_SALT, text).hexdigest()
