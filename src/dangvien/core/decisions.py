"""The decision behind an event: its date, number, deciding body and reason."""

import datetime
from dataclasses import dataclass


@dataclass(frozen=True)
class Decision:
    effective_on: datetime.date | None = None
    number: str = ""
    body: str = ""
    reason: str = ""

    def as_audit(self) -> dict:
        return {
            "effective_on": self.effective_on,
            "decision_number": self.number,
            "decision_body": self.body,
            "reason": self.reason,
        }


NO_DECISION = Decision()
