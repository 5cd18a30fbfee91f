"""Inside/outside samples for the account administration URLs (used by tests/test_scope_walk.py):
resetting a password or the second factor, disabling, enabling and lifting a lockout are for
administrators only; revoking and restoring a role follow the officer's subtree."""

from dangvien.accounts.models import RoleBinding
from dangvien.core.roles import Role


def scope_samples(world) -> dict:
    inside, outside = world.users[Role.SECRETARY].pk, world.users["outside_officer"].pk
    samples = {
        name: {"pk": (inside, outside)}
        for name in ("accounts:reset", "accounts:disable", "accounts:enable", "accounts:unlock")
    }
    bindings = (
        RoleBinding.objects.get(user=world.users[Role.SECRETARY]).pk,
        RoleBinding.objects.get(user=world.users["outside_officer"]).pk,
    )
    samples["accounts:restore"] = {"pk": bindings}
    return samples


def post_samples(world, outside: bool) -> dict:
    return {
        "accounts:reset": {"temporary_password": "Tam-thoi-Song-Lam-42", "reason": "Quên mật khẩu"},
        "accounts:unlock": {"reason": "Đã xác minh"},
        "accounts:revoke": {"reason": "Hết nhiệm vụ"},
        "accounts:restore": {"reason": "Thu hồi nhầm"},
        "accounts:disable": {"reason": "Chuyển công tác"},
        "accounts:enable": {"reason": "Trở lại"},
        "accounts:two-factor-reset": {"reason": "Mất điện thoại"},
    }
