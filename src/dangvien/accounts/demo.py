"""Demo accounts, one for every role, each bound to a different part of the demo province."""

from dangvien.accounts.models import RoleBinding, User
from dangvien.core.roles import Role

DEMO_PASSWORD = "SonHa-demo-2026"

# The member account's own record carries this name from its creation (members.demo), so its
# first history entry names the same person as the record.
MEMBER_ACCOUNT_NAME = "Đặng Thu Hà"

# username, full name, role, key of the organisation in organizations.demo.load()'s result
ACCOUNTS = [
    ("admin", "Quản trị hệ thống", Role.ADMIN, None),
    ("tinhuy", "Nguyễn Thị Hồng Nhung", Role.OFFICER, "province"),
    ("hoabinh", "Trần Văn Đức", Role.OFFICER, "ward"),
    ("bithu", "Lê Minh Tuấn", Role.SECRETARY, "branch"),
    ("thuquy", "Hoàng Thị Lan", Role.TREASURER, "branch"),
    ("kiemtra", "Phạm Quốc Bảo", Role.INSPECTOR, "commune"),
    ("ubkt", "Võ Thị Thanh Hương", Role.INSPECTION_OFFICER, "ward"),
    ("dangvien", MEMBER_ACCOUNT_NAME, Role.MEMBER, "base_branch"),
]


def load(orgs: dict, records: dict) -> list[tuple[str, str, str]]:
    """Create the demo accounts; returns (username, role label, where) for printing."""
    printed = []
    for username, full_name, role, org_key in ACCOUNTS:
        user = User.objects.create_user(username, password=DEMO_PASSWORD, full_name=full_name)
        organization = orgs[org_key] if org_key else None
        RoleBinding.objects.create(user=user, role=role, organization=organization)
        if role == Role.MEMBER:
            record = records["own_record"]
            record.user = user
            record.save(update_fields=["user"])
        printed.append(
            (username, role.label, organization.name if organization else "toàn hệ thống")
        )
    return printed


def logins() -> list[tuple[str, str, str]]:
    """The demo logins that exist in this database (for printing on every demo start)."""
    rows = []
    for username, _full_name, role, _org_key in ACCOUNTS:
        binding = (
            RoleBinding.objects.filter(user__username=username, role=role)
            .select_related("organization")
            .first()
        )
        if binding:
            where = binding.organization.name if binding.organization else "toàn hệ thống"
            rows.append((username, role.label, where))
    return rows
