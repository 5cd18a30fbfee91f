"""A refused save on the candidate pages says «Chưa lưu» at the top, answers 400 and keeps what
the user typed: the introduction letter in its table row, a new candidate, a correction."""

import datetime

from dangvien.admissions.introducers import services
from dangvien.admissions.models import Candidate, Introducer
from dangvien.core.roles import Role
from tests.admissions.workflow import new_candidate, today


def d(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


def top(page: str) -> str:
    """The page above its title: where the «Chưa lưu» banner stands."""
    return page.split("<h1")[0]


def test_a_refused_letter_is_said_at_the_top(world):
    candidate = new_candidate(world)
    introducer = services.assign_introducer(
        world.users[Role.SECRETARY],
        candidate,
        world.member,
        assigned_on=today() - datetime.timedelta(days=10),
        together_since=today() - datetime.timedelta(days=200),
    )
    response = world.client(Role.SECRETARY).post(
        f"/admissions/introducers/{introducer.pk}/introduction/", {"introduced_on": d(today())}
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Chưa lưu." in top(page)
    assert "ít nhất 12 tháng" in top(page)
    assert f'value="{d(today())}"' in page  # the date typed stays in the row's form
    assert Introducer.objects.get(pk=introducer.pk).introduced_on is None


def test_a_refused_new_candidate_answers_400_with_the_input_kept(world):
    client = world.client(Role.SECRETARY)
    future = d(today() + datetime.timedelta(days=3))
    response = client.post(
        "/admissions/candidates/new/",
        {
            "branch_code": world.branch.code,
            "selected_on": d(today()),
            "full_name": "Lò Thị Tương Lai",
            "gender": "Nữ",
            "birth_date": future,
        },
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Chưa lưu." in top(page) and "Ngày sinh không thể ở tương lai." in top(page)
    assert 'value="Lò Thị Tương Lai"' in page
    assert not Candidate.unscoped.filter(full_name="Lò Thị Tương Lai").exists()


def test_a_refused_correction_answers_400(world):
    candidate = new_candidate(world)
    client = world.client(Role.SECRETARY)
    url = f"/admissions/candidates/{candidate.pk}/edit/"
    form = client.get(url).context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data["birth_date"] = d(candidate.birth_date)
    response = client.post(url, {**data, "citizen_id": "12345", "phone": "0911222333"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "Chưa lưu." in top(page) and "Số CCCD phải gồm đúng 12 chữ số." in top(page)
    assert 'value="0911222333"' in page
    assert Candidate.unscoped.get(pk=candidate.pk).phone == ""
