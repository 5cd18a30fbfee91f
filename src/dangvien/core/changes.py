"""One hook for "records changed here" that model signals do not see: bulk writes and path
rewrites announce what they touched, inside their transaction, and whoever keeps figures derived
from the records subscribes (the reports' unit tallies, reports.apps)."""

from collections.abc import Iterable

from django.dispatch import Signal

# Sent with `paths` (organisation paths whose records changed), `member_ids` (members whose
# records changed, wherever they were placed), `moves` ((old path, new path) of organisations
# moved with their subtrees) and `membership` (False when only grades changed: who belonged to
# the Party and where is as it was, so the dues summary has nothing to recount).
changed = Signal()


def records_changed(
    *,
    paths: Iterable[str] = (),
    member_ids: Iterable[int] = (),
    moves: Iterable[tuple[str, str]] = (),
    membership: bool = True,
) -> None:
    """Tell the subscribers what changed; call it inside the writer's transaction (a subscriber
    writes its marks in the same transaction and does its own work on commit)."""
    changed.send(
        sender=None,
        paths=tuple(paths),
        member_ids=tuple(member_ids),
        moves=tuple(moves),
        membership=membership,
    )
