"""Inside/outside samples for the account administration URLs (used by tests/test_scope_walk.py):
resetting a password or the second factor, disabling, enabling and lifting a lockout are for
administrators only."""

from dangvien.accounts.roles import Role


def scope_samples(world) -> dict:
    inside, outside = world.users[Role.SECRETARY].pk, world.users["outside_officer"].pk
    return {
        name: {"pk": (inside, outside)}
        for name in ("accounts:reset", "accounts:disable", "accounts:enable", "accounts:unlock")
    }


def post_samples(world, outside: bool) -> dict:
    return {
        "accounts:reset": {"temporary_password": "Tam-thoi-Song-Lam-42"},
        "accounts:disable": {"reason": "Chuyển công tác"},
        "accounts:enable": {"reason": "Trở lại"},
        "accounts:two-factor-reset": {"reason": "Mất điện thoại"},
    }
