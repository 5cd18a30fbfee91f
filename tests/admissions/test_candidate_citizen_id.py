"""Adding a candidate: the citizen ID is 12 ASCII digits; twelve full-width or Arabic-Indic
digits (which a regular expression's \\d accepts) are refused, not stored."""

import pytest

from dangvien.admissions.models import Candidate
from dangvien.core.roles import Role
from tests.admissions.test_candidate_pool import NEW, form


@pytest.mark.parametrize("citizen_id", ["０１４３０１０００１２３", "٠١٤٣٠١٠٠٠١٢٣"])
def test_digits_of_other_scripts_are_refused(world, citizen_id):
    client = world.client(Role.SECRETARY)
    page = client.post(NEW, form(world.branch, citizen_id=citizen_id)).content.decode()
    assert "Số CCCD phải gồm đúng 12 chữ số." in page
    assert not Candidate.unscoped.exists()
