"""Every write to the organisation tree: establish, rename, move with the subtree, change of
kind or sector, correct, dissolve, absorb and amalgamate, restore; each keeps the
organisations' dated states and events (organizations.history) in step with today's tree."""

from dangvien.organizations.services.absorbing import (
    absorb_organization,
    amalgamate_organizations,
    record_absorption,
)
from dangvien.organizations.services.changes import (
    change_org_code,
    change_organization,
    correct_organization,
    create_organization,
    members_kind_refusal,
    move_organization,
    record_move,
    record_rename,
    rename_organization,
)
from dangvien.organizations.services.ending import (
    END_KINDS,
    END_LABELS,
    dissolution_blockers,
    dissolve_organization,
    record_end,
    restoration_refusal,
    restore_organization,
)
from dangvien.organizations.services.splitting import SplitPart, split_organization
from dangvien.organizations.services.tree import (
    check_code_free,
    insert,
    placement_error,
    relocate,
)

__all__ = [
    "END_KINDS",
    "END_LABELS",
    "SplitPart",
    "absorb_organization",
    "amalgamate_organizations",
    "change_org_code",
    "change_organization",
    "check_code_free",
    "correct_organization",
    "create_organization",
    "dissolution_blockers",
    "dissolve_organization",
    "insert",
    "members_kind_refusal",
    "move_organization",
    "placement_error",
    "record_absorption",
    "record_end",
    "record_move",
    "record_rename",
    "relocate",
    "rename_organization",
    "restoration_refusal",
    "restore_organization",
    "split_organization",
]
