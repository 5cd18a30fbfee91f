"""Pages state the rule values of the rule set in force, not numbers typed into the text."""

from dangvien.core.models import RuleSet
from dangvien.core.roles import Role


def set_everywhere(**values) -> None:
    for rule_set in RuleSet.objects.all():
        rule_set.values = {**rule_set.values, **values}
        rule_set.save(update_fields=["values"])


def test_probation_and_card_pages_follow_the_rule_set(world):
    set_everywhere(probation_months=18, old_card_digits=9)
    client = world.client(Role.OFFICER)
    assert "Thời gian dự bị 18 tháng" in client.get("/admissions/probation/").content.decode()
    card_page = client.get(f"/admissions/cards/{world.member.pk}/").content.decode()
    assert "có số gồm 9 chữ số" in card_page
