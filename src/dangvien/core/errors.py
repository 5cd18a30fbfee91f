"""Domain errors: raised by services with a Vietnamese message the UI shows as it is."""


class DomainError(Exception):
    """A rule of the domain refused the action; `message` is for the user, in Vietnamese."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class ScopeDenied(DomainError):
    """The acting user may not see or change this object."""

    def __init__(self, message: str = "Bạn không có quyền thực hiện thao tác này."):
        super().__init__(message)


# The one answer to a value that collides with a record outside the actor's scope: it says
# neither whose record nor which code, on every form, import and API (issue 11, item 4).
OUTSIDE_CONFLICT = "trùng với một hồ sơ ngoài phạm vi quản lý; cấp trên sẽ xử lý."


class OutsideConflict(DomainError):
    """A unique value is already used by a record the actor may not see; `collision` (a
    members.conflicts.Collision) is kept so the conflict can be recorded for the officer who
    holds both records, after the refused action has rolled back."""

    def __init__(self, label: str, collision, *, field: str | None = None):
        super().__init__(f"{label} {OUTSIDE_CONFLICT}", field=field)
        self.collision = collision
