"""Every write of party development: one function per use case, named as the user would say it.

Each checks the acting user's scope and the rules in force on the step's date, runs in one
transaction, keeps the change in the history and raises `DomainError` with a Vietnamese reason.
"""

from dangvien.admissions.services.annulment import annul_admission
from dangvien.admissions.services.candidates import (
    create_candidate,
    move_candidate,
    record_awareness_class,
    reopen_candidate,
    update_candidate,
    withdraw_candidate,
)
from dangvien.admissions.services.cards import end_card, issue_card, undo_card_end
from dangvien.admissions.services.introducers import (
    assign_introducer,
    correct_introduction_date,
    record_introduction,
    remove_introducer,
    replace_introducer,
)
from dangvien.admissions.services.probation import (
    annul_strike_off,
    correct_ceremony,
    not_recognise,
    recognise,
    record_recognition_step,
)
from dangvien.admissions.services.procedure import (
    admit_candidate,
    record_admission_step,
    record_ceremony,
)
from dangvien.admissions.services.targets import clear_target, set_target

__all__ = [
    "admit_candidate",
    "annul_admission",
    "annul_strike_off",
    "assign_introducer",
    "clear_target",
    "correct_ceremony",
    "correct_introduction_date",
    "create_candidate",
    "end_card",
    "issue_card",
    "move_candidate",
    "not_recognise",
    "recognise",
    "record_admission_step",
    "record_awareness_class",
    "record_ceremony",
    "record_introduction",
    "record_recognition_step",
    "remove_introducer",
    "reopen_candidate",
    "replace_introducer",
    "set_target",
    "undo_card_end",
    "update_candidate",
    "withdraw_candidate",
]
