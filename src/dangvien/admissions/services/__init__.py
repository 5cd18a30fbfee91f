"""Every write of party development: one function per use case, named as the user would say it.

Each checks the acting user's scope and the rules in force on the step's date, runs in one
transaction, keeps the change in the history and raises `DomainError` with a Vietnamese reason.
"""

from dangvien.admissions.services.candidates import (
    assign_introducer,
    create_candidate,
    move_candidate,
    record_awareness_class,
    record_introduction,
    update_candidate,
    withdraw_candidate,
)
from dangvien.admissions.services.cards import end_card, issue_card
from dangvien.admissions.services.probation import (
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
    "assign_introducer",
    "clear_target",
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
    "set_target",
    "update_candidate",
    "withdraw_candidate",
]
