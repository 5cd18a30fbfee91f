"""What the transfer tests do through the pages: issue a letter, confirm an arrival, count."""

import datetime

from django.utils import timezone

from dangvien.core.scope import unscoped
from dangvien.reports.structure import structure_report
from dangvien.transfers.models import Transfer

ONE_DAY = datetime.timedelta(days=1)


def today() -> datetime.date:
    return timezone.localdate()


def ddmmyyyy(day: datetime.date) -> str:
    return f"{day:%d/%m/%Y}"


def issue(client, member, **fields):
    """POST the letter form of `member`; returns the response."""
    data = {
        "kind": "permanent",
        "to_code": "",
        "outside_destination": "",
        "letter_number": "15-GGT/ĐU",
        "temporary_until": "",
        "late_explanation": "",
    }
    data.update({k: ddmmyyyy(v) if isinstance(v, datetime.date) else v for k, v in fields.items()})
    return client.post(f"/transfers/member/{member.pk}/new/", data)


def latest(member) -> Transfer:
    return Transfer.unscoped.filter(member=member).latest("id")


def arrive(client, transfer, day: datetime.date, explanation: str = ""):
    return client.post(
        f"/transfers/{transfer.pk}/arrive/",
        {"arrived_on": ddmmyyyy(day), "late_explanation": explanation},
    )


def members_on(org, day: datetime.date) -> int:
    """The structure report's member count of `org`'s subtree on `day`."""
    with unscoped():
        return structure_report(org, day).members
