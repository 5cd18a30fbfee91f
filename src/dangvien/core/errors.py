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
