"""Two administrators correct one rule set from pages opened together: the second save is
refused with the change named, nothing is overwritten."""

from django.test import Client

from dangvien.core.models import AuditEntry, RuleSet
from dangvien.core.roles import Role


def open_form(client, url) -> dict:
    form = client.get(url).context["form"]
    return {name: form[name].value() for name in form.fields}


def test_second_correction_of_a_rule_set_is_refused(world):
    rule_set = RuleSet.objects.order_by("effective_from").first()
    url = f"/rules/{rule_set.pk}/"
    first, second = Client(), Client()
    first.force_login(world.users[Role.ADMIN])
    second.force_login(world.users[Role.ADMIN])
    first_data, second_data = open_form(first, url), open_form(second, url)
    old_name = rule_set.name

    assert first.post(url, {**first_data, "name": "Quy định 24 (sửa)"}).status_code == 302
    response = second.post(url, {**second_data, "note": "Theo công văn 12"})
    page = response.content.decode()
    assert "Bộ quy định đã được" in page and f"{old_name} → Quy định 24 (sửa)" in page
    stored = RuleSet.objects.get(pk=rule_set.pk)
    assert (stored.name, stored.note) == ("Quy định 24 (sửa)", rule_set.note)
    assert AuditEntry.unscoped.filter(action="rules.save").count() == 1

    refused = response.context["form"]
    again = {name: refused[name].value() for name in refused.fields}
    assert again["name"] == "Quy định 24 (sửa)"  # the other change, where this user left it
    assert second.post(url, again).status_code == 302
    stored = RuleSet.objects.get(pk=rule_set.pk)
    assert (stored.name, stored.note) == ("Quy định 24 (sửa)", "Theo công văn 12")
