"""The demo round on the ward SH.HB: proposals in every state, visible to the demo logins."""

from django.test import Client
from django.utils import timezone

from dangvien.accounts import demo as accounts_demo
from dangvien.core.models import AuditEntry
from dangvien.supplements.models import ProposalStatus, SupplementProposal, SupplementRound


def test_demo_round_has_proposals_in_every_state(demo_data):
    today = timezone.localdate()
    supplement_round = SupplementRound.unscoped.get()  # the demo's one round
    assert supplement_round.organization.code == "SH.HB" and supplement_round.year == today.year
    statuses = set(SupplementProposal.unscoped.values_list("status", flat=True))
    assert statuses == set(ProposalStatus.values)
    assert SupplementProposal.unscoped.filter(on_paper=True).exists()
    approved = SupplementProposal.unscoped.filter(status=ProposalStatus.APPROVED).first()
    field, (_old, new) = next(iter(approved.changes.items()))
    assert getattr(approved.member, field) == new
    assert AuditEntry.unscoped.filter(
        action="member.update", target_id=approved.member_id, reason__startswith="Bổ sung hồ sơ"
    ).exists()

    client = Client()
    assert client.login(username="hoabinh", password=accounts_demo.DEMO_PASSWORD)
    page = client.get(f"/supplements/{supplement_round.pk}/").content.decode()
    assert "Tiến độ theo tổ chức trực thuộc" in page and "Duyệt và cập nhật hồ sơ" in page
    member = Client()
    assert member.login(username="dangvien", password=accounts_demo.DEMO_PASSWORD)
    page = member.get("/supplements/my/").content.decode()
    assert "Gửi chi bộ" in page  # the demo member can try the form
