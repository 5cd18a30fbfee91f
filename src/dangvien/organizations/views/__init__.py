"""Pages of the organisation tree: browse, search, the organisations below one with its
history (browse); establish, rename, change of kind or sector, correct, move (changes);
dissolve and restore (ending); many changes at once (reorganise)."""

from dangvien.organizations.views.browse import below, detail, tree
from dangvien.organizations.views.changes import (
    change,
    change_code,
    correct,
    create,
    move,
    rename,
)
from dangvien.organizations.views.ending import dissolve, restore
from dangvien.organizations.views.reorganise import reorganise, reorganise_start

__all__ = [
    "below",
    "change",
    "change_code",
    "correct",
    "create",
    "detail",
    "dissolve",
    "move",
    "rename",
    "reorganise",
    "reorganise_start",
    "restore",
    "tree",
]
