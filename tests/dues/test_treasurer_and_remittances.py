"""The branch's treasurer records collections for their branch only; what each level keeps and
remits upward is reconciled by month (R5.5; QĐ 09-QĐ/TW, HD 724: a branch under a base
committee that is not a commune's keeps 30%)."""

from dangvien.core.roles import Role
from dangvien.dues.models import DuesRemittance
from tests.dues.helpers import MAY, declare, figure, pay
from tests.factories import user_with_role


def _treasurer(world):
    client = world.client(None)
    client.force_login(user_with_role(Role.TREASURER, world.branch, "thuquy"))
    return client


def test_the_treasurer_collects_for_their_branch_only(world):
    declare(world.client(Role.SECRETARY), world.member)
    declare(world.client(Role.OFFICER), world.other_member)
    treasurer = _treasurer(world)
    assert treasurer.get("/dues/").url.startswith(f"/dues/branch/{world.branch.code}/")
    assert pay(treasurer, world.branch, world.member, *MAY).status_code == 302
    assert pay(treasurer, world.other_branch, world.other_member, *MAY).status_code == 404
    # Declaring a member's basis is the branch's (managing members), not the treasurer's.
    response = declare(treasurer, world.member, from_month="02/2026")
    assert response.status_code == 403


def test_the_branch_remits_its_share_and_the_base_reconciles(world):
    secretary = world.client(Role.SECRETARY)
    declare(secretary, world.member)
    pay(secretary, world.branch, world.member, *MAY)
    page = secretary.get(f"/dues/remit/{world.branch.code}/?year={MAY[0]}").content.decode()
    assert figure(page, "total-to-remit") == "70.000"  # 100.000 less the 30% kept
    response = secretary.post(
        f"/dues/remit/{world.branch.code}/?year={MAY[0]}",
        {"month": "05/2026", "amount": "70000", "remitted_on": "20/05/2026", "reference": "PT 12"},
    )
    assert response.status_code == 302
    assert DuesRemittance.unscoped.get().amount == 70_000
    page = secretary.get(f"/dues/remit/{world.branch.code}/?year={MAY[0]}").content.decode()
    assert figure(page, "total-remitted") == "70.000"
    # The base receives 70.000 and keeps its share [U: 50% by default], remitting 35.000.
    officer = world.client(Role.OFFICER)
    page = officer.get(f"/dues/remit/{world.base.code}/?year={MAY[0]}").content.decode()
    assert figure(page, "total-to-remit") == "35.000"
    # The secretary cannot record the base committee's remittance.
    response = secretary.post(
        f"/dues/remit/{world.base.code}/",
        {"month": "05/2026", "amount": "35000", "remitted_on": "20/05/2026"},
    )
    assert response.status_code in (403, 404)
