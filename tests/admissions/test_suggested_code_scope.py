"""The member code the admission decision's page suggests comes from the members the officer
sees: it never reveals the code series of an organisation outside the officer's scope."""

import pytest

from dangvien.admissions.models import Candidate
from dangvien.admissions.procedure import selectors
from dangvien.core.roles import Role
from tests.admissions.test_admit_candidate import admit_page, voted
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def test_the_suggestion_ignores_codes_outside_the_scope(world):
    candidate: Candidate = voted(world)
    MemberFactory(code="K000100", branch=world.branch)  # the branch's last member
    MemberFactory(code="K000900", branch=world.outside_branch)
    page = admit_page(world.client(Role.OFFICER), candidate)
    assert 'value="K000101"' in page
    assert "K000901" not in page
    assert selectors.suggested_member_code(world.users[Role.OFFICER], candidate) == "K000101"


def test_a_code_taken_outside_the_scope_is_never_suggested(world):
    candidate = voted(world)
    MemberFactory(code="K000100", branch=world.branch)
    MemberFactory(code="K000101", branch=world.outside_branch)
    assert selectors.suggested_member_code(world.users[Role.OFFICER], candidate) == "K000102"
