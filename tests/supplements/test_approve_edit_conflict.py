"""An officer approves a proposal from a page opened before the record was corrected: the
approval is refused with the correction named, instead of silently overwriting it."""

import re

from django.test import Client

from dangvien.core.models import AuditEntry
from dangvien.core.roles import Role
from dangvien.members.models import Member
from dangvien.supplements import services
from dangvien.supplements.models import ProposalStatus
from tests.supplements.conftest import fresh


def signed_in(world, role: str) -> Client:
    client = Client()
    client.force_login(world.users[role])
    return client


def approval_form(client, proposal) -> dict:
    page = client.get(f"/supplements/proposals/{proposal.pk}/").content.decode()
    form = page[page.index(f"/supplements/proposals/{proposal.pk}/approve/") :]
    return {"version": re.search(r'name="version" value="([^"]*)"', form)[1]}


def confirmed_proposal(world):
    member_user = world.users[Role.MEMBER]
    proposal = services.submit_proposal(member_user, {"phone": "0912 345 678"})
    return services.confirm_proposal(world.users[Role.SECRETARY], proposal)


def test_approval_over_a_later_correction_is_refused(world, supplement_round):
    proposal = confirmed_proposal(world)
    officer = signed_in(world, Role.OFFICER)
    shown = approval_form(officer, proposal)

    record = f"/members/{world.member.pk}/edit/"
    secretary = signed_in(world, Role.SECRETARY)
    form = secretary.get(record).context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    assert secretary.post(record, {**data, "phone": "0200 000 000"}).status_code == 302

    response = officer.post(f"/supplements/proposals/{proposal.pk}/approve/", shown, follow=True)
    page = response.content.decode()
    assert "Hồ sơ đã được" in page and "Điện thoại: — → 0200 000 000" in page
    assert Member.unscoped.get(pk=world.member.pk).phone == "0200 000 000"
    assert fresh(proposal).status == ProposalStatus.CONFIRMED
    assert AuditEntry.unscoped.filter(action="member.update").count() == 1

    # The page now shows the correction next to the proposal: approving from it applies it.
    response = officer.post(
        f"/supplements/proposals/{proposal.pk}/approve/", approval_form(officer, proposal)
    )
    assert fresh(proposal).status == ProposalStatus.APPROVED
    assert Member.unscoped.get(pk=world.member.pk).phone == "0912 345 678"
