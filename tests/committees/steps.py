"""What the committee tests do through the pages: open a term, record a seat."""

import datetime

from dangvien.committees.models import Seat, Term
from tests.transfers.steps import ddmmyyyy


def open_term(client, org, congress_on: datetime.date, label: str = "2025–2027", **fields):
    data = {"version": "", "label": label, "congress_on": ddmmyyyy(congress_on), "starts_on": ""}
    data.update(fields)
    return client.post(f"/committees/org/{org.code}/terms/new/", data)


def add_seat(client, term: Term, member, on: datetime.date, post="bi_thu", body="cap_uy", **extra):
    data = {
        "version": "",
        "member_code": member.code,
        "body": body,
        "post": post,
        "chosen": "dai_hoi",
        "elected_on": ddmmyyyy(on),
        "approved_on": "",
        "approval_number": "",
        "approval_body": "",
    }
    data.update(extra)
    return client.post(f"/committees/terms/{term.pk}/seats/new/", data)


def end_seat(client, seat: Seat, on: datetime.date, reason: str = "Chuyển công tác"):
    return client.post(
        f"/committees/seats/{seat.pk}/end/", {"ended_on": ddmmyyyy(on), "reason": reason}
    )
