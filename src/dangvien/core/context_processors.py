"""Navigation shown to each user, by the capabilities their roles give them."""

from django.urls import reverse

from dangvien.accounts.roles import Capability
from dangvien.core.scope import scope_of

# (label, url name, url kwargs, capability needed or None for every signed-in user)
NAVIGATION = [
    ("Tổng quan", "home", {}, None),
    ("Cây tổ chức", "organizations:tree", {}, Capability.VIEW),
    ("Nhập tổ chức từ tệp", "core:import-upload", {"kind": "orgs"}, Capability.MANAGE_ORGS),
    ("Lịch sử thay đổi", "core:history", {}, Capability.VIEW),
    ("Tài khoản và phân quyền", "accounts:users", {}, Capability.MANAGE_USERS),
]


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    scope = scope_of(user)
    items = []
    for label, url_name, kwargs, capability in NAVIGATION:
        if capability is None or scope.any(capability):
            url = reverse(url_name, kwargs=kwargs)
            active = request.path == url or (url != "/" and request.path.startswith(url))
            items.append({"label": label, "url": url, "active": active})
    return {"navigation": items, "scope": scope}
