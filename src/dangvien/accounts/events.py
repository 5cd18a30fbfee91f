"""Account events in the audit (sign-ins, failed sign-ins, lockouts, password and two-factor
changes): one helper, so every one is filed the same way, under no organisation (the access
review finds them by person), with the client's address and channel when there is one."""

from typing import Any

from axes.helpers import get_client_ip_address

from dangvien.accounts.channels import channel
from dangvien.accounts.models import User
from dangvien.core import audit
from dangvien.core.models import AuditEntry

NO_ORG = ""


def client_address(request) -> str | None:
    if request is None:
        return None
    address = getattr(request, "axes_ip_address", None)
    return address or get_client_ip_address(request)


def _name_tried(name: str) -> User:
    """An unsaved stand-in (id 0) for a user name that is no account: what was typed, as text
    the history can hold (control and direction characters shown as "�": the model refuses
    them, and a refusal here would lose the failed attempt)."""
    return User(pk=0, username="".join(c if c.isprintable() else "\ufffd" for c in name))


def record_account_event(
    actor,
    action: str,
    user: User | None,
    *,
    request=None,
    address: str | None = None,
    name: str = "",
    changes: dict[str, Any] | None = None,
    reason: str = "",
) -> AuditEntry:
    """One event about `user` (or, for a name that is no account, about `name`). With a request
    the address and channel come from it; services that have no request pass `address`."""
    changes = dict(changes or {})
    if request is not None:
        changes["ip_address"] = [None, client_address(request)]
        changes["channel"] = [None, channel(request)]
    elif address:
        changes["ip_address"] = [None, address]
    target = user if user is not None else _name_tried(name)
    return audit.record(actor, action, target, org_path=NO_ORG, changes=changes, reason=reason)
