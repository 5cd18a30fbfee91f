"""The branch's treasurer records collections for their branch only; what each level keeps and
remits upward is reconciled by month (R5.5; QĐ 09-QĐ/TW, HD 724: a branch under a base
committee that is not a commune's keeps 30%)."""

from dangvien.core.roles import Role
from dangvien.dues.models import DuesBasis, DuesRemittance
from dangvien.dues.selectors import member_unpaid_months
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

    # Recorded by mistake: annulled with a reason after a confirmation, kept, no longer counted.
    remittance = DuesRemittance.unscoped.get()
    url = f"/dues/remittance/{remittance.pk}/annul/"
    assert "không còn tính vào số đã nộp" in secretary.get(url).content.decode()
    assert secretary.post(url, {"reason": ""}).status_code == 400
    assert secretary.post(url, {"reason": "Ghi trùng"}).status_code == 302
    assert DuesRemittance.unscoped.get().annul_reason == "Ghi trùng"
    page = secretary.get(f"/dues/remit/{world.branch.code}/?year={MAY[0]}").content.decode()
    assert figure(page, "total-remitted") == "0"
    assert secretary.get(url).status_code == 302  # annulled already: back, with a note


def test_a_basis_declared_by_mistake_is_annulled_and_no_longer_counts(world):
    secretary = world.client(Role.SECRETARY)
    declare(secretary, world.member, from_month="01/2025")
    assert member_unpaid_months(world.member, 2025) == 12
    basis = DuesBasis.unscoped.get(member=world.member)
    url = f"/dues/basis/{basis.pk}/annul/"
    assert "Các khoản đã thu không thay đổi" in secretary.get(url).content.decode()
    assert secretary.post(url, {"reason": "Khai nhầm đối tượng"}).status_code == 302
    assert DuesBasis.unscoped.get(pk=basis.pk).annul_reason == "Khai nhầm đối tượng"
    assert member_unpaid_months(world.member, 2025) == 0  # no record begun: nothing counted
    page = secretary.get(f"/dues/member/{world.member.pk}/").content.decode()
    assert "Đã hủy: Khai nhầm đối tượng" in page.split(f'id="basis-{basis.pk}"')[1]
