"""Two secretaries correct one candidate's data from pages opened together: the second save is
refused with the change named, nothing is overwritten."""

from django.test import Client

from dangvien.admissions.models import Candidate
from dangvien.core.models import AuditEntry
from dangvien.core.roles import Role
from tests.admissions.workflow import new_candidate


def signed_in(world, role: str) -> Client:
    client = Client()
    client.force_login(world.users[role])
    return client


def open_form(client, url) -> dict:
    form = client.get(url).context["form"]
    return {name: form[name].value() or "" for name in form.fields}


def test_second_correction_is_refused_then_applies_knowingly(world):
    candidate = new_candidate(world)
    url = f"/admissions/candidates/{candidate.pk}/edit/"
    first, second = signed_in(world, Role.SECRETARY), signed_in(world, Role.OFFICER)
    first_data, second_data = open_form(first, url), open_form(second, url)
    old_ethnicity = Candidate.unscoped.get(pk=candidate.pk).ethnicity

    assert first.post(url, {**first_data, "ethnicity": "Nùng"}).status_code == 302
    response = second.post(url, {**second_data, "phone": "0987654321"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "Chưa lưu." in page.split("<h1")[0]  # said at the top, before the form
    assert "Hồ sơ quần chúng đã được" in page and "sau khi bạn mở trang" in page
    assert f"Dân tộc: {old_ethnicity} → Nùng" in page
    assert 'value="0987654321"' in page
    stored = Candidate.unscoped.get(pk=candidate.pk)
    assert (stored.ethnicity, stored.phone) == ("Nùng", "")
    updates = AuditEntry.unscoped.filter(action="candidate.update")
    assert [e.changes for e in updates] == [{"ethnicity": [old_ethnicity, "Nùng"]}]

    refused = response.context["form"]
    again = {name: refused[name].value() or "" for name in refused.fields}
    assert second.post(url, again).status_code == 302
    stored = Candidate.unscoped.get(pk=candidate.pk)
    assert (stored.ethnicity, stored.phone) == ("Nùng", "0987654321")


def test_a_reopened_page_saves(world):
    candidate = new_candidate(world)
    url = f"/admissions/candidates/{candidate.pk}/edit/"
    client = signed_in(world, Role.SECRETARY)
    client.post(url, {**open_form(client, url), "ethnicity": "Nùng"})
    assert client.post(url, {**open_form(client, url), "ethnicity": "Tày"}).status_code == 302
    assert Candidate.unscoped.get(pk=candidate.pk).ethnicity == "Tày"
