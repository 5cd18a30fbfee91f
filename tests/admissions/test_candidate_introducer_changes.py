"""Before the branch votes, a member assigned by mistake is removed or replaced and a letter's
date corrected, each confirmed with a reason kept in the history; after the vote the page and
the services refuse and say why."""

import datetime

from dangvien.admissions.candidates.services import record_awareness_class
from dangvien.admissions.introducers.services import assign_introducer, record_introduction
from dangvien.admissions.models import AdmissionStepKind, Candidate, Introducer, Stage
from dangvien.admissions.procedure.services import record_admission_step
from dangvien.core.models import AuditEntry
from dangvien.core.roles import Role
from tests.admissions.workflow import (
    complete_file,
    introducers,
    new_candidate,
    seat_voters,
    today,
    years_ago,
)
from tests.factories import MemberFactory


def d(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


def page_of(client, candidate) -> str:
    return client.get(f"/admissions/candidates/{candidate.pk}/").content.decode()


def with_helpers(world) -> tuple[Candidate, Introducer, Introducer]:
    """A candidate with two helpers: the first has written the letter, the second not yet."""
    secretary = world.users[Role.SECRETARY]
    candidate = new_candidate(world)
    record_awareness_class(secretary, candidate, attended_on=today() - datetime.timedelta(days=100))
    first, second = (
        assign_introducer(
            secretary,
            candidate,
            member,
            assigned_on=today() - datetime.timedelta(days=390),
            together_since=years_ago(3),
        )
        for member in introducers(world)
    )
    record_introduction(secretary, first, on=today() - datetime.timedelta(days=20))
    first.refresh_from_db()
    return candidate, first, second


def entry(action: str) -> AuditEntry:
    return AuditEntry.unscoped.get(action=action)


def test_a_helper_is_removed_with_a_reason_and_the_letter_goes_with_them(world):
    candidate, first, second = with_helpers(world)
    client = world.client(Role.SECRETARY)
    page = page_of(client, candidate)
    remove = f"/admissions/introducers/{first.pk}/remove/"
    assert f'href="{remove}"' in page
    assert "Phân công đảng viên giúp đỡ</summary>" not in page  # two helpers: the limit

    confirm = client.get(remove).content.decode()
    assert (
        f"{first.member.full_name} ({first.member.code}) không còn là đảng viên giúp đỡ, giới "
        f"thiệu Phạm Thị Quần Chúng; giấy giới thiệu ngày {d(first.introduced_on)} của người "
        "này không còn được tính trong hồ sơ." in confirm
    )
    assert "Hồ sơ còn 0 giấy giới thiệu" in confirm

    refused = client.post(remove, {"reason": ""})
    assert refused.status_code == 400
    assert "Chưa bỏ phân công: Cần ghi lý do bỏ phân công." in refused.content.decode()
    assert Introducer.objects.filter(pk=first.pk).exists()

    done = client.post(remove, {"reason": "Phân công nhầm người, khác đơn vị công tác"})
    assert done.status_code == 302
    assert list(Introducer.objects.values_list("pk", flat=True)) == [second.pk]
    removed = entry("candidate.introducer_remove")
    assert removed.reason == "Phân công nhầm người, khác đơn vị công tác"
    assert removed.changes["introducer"] == [
        f"{first.member.full_name} ({first.member.code})",
        None,
    ]
    assert removed.changes["introduction"] == [
        f"{first.member.full_name}: {d(first.introduced_on)}",
        None,
    ]
    # Without any letter or document the file is back at the class: the stage its content holds.
    assert Candidate.unscoped.get(pk=candidate.pk).stage == Stage.SYMPATHISER
    page = page_of(client, candidate)
    assert f"Đã bỏ phân công {first.member.full_name} giúp đỡ" in page
    assert "Phân công đảng viên giúp đỡ</summary>" in page  # a second helper may be assigned
    history = page.split("<h2>Lịch sử thay đổi</h2>")[1]
    assert "Bỏ phân công đảng viên giúp đỡ" in history and "khác đơn vị công tác" in history


def test_a_helper_is_replaced_by_another_official_member(world):
    candidate, first, second = with_helpers(world)
    client = world.client(Role.SECRETARY)
    replace = f"/admissions/introducers/{second.pk}/replace/"
    confirm = client.get(replace).content.decode()
    assert f"{second.member.full_name} ({second.member.code}) không còn là đảng viên giúp đỡ" in (
        confirm
    )
    newcomer = MemberFactory(branch=world.branch, full_name="Trần Văn Thay")
    data = {
        "member_code": newcomer.code,
        "assigned_on": d(today() - datetime.timedelta(days=5)),
        "together_since": d(years_ago(2)),
    }
    refused = client.post(replace, data)
    assert refused.status_code == 400
    assert "Chưa thay người giúp đỡ: Cần ghi lý do thay người giúp đỡ." in (
        refused.content.decode()
    )
    assert f'value="{newcomer.code}"' in refused.content.decode()  # the input is kept
    same = client.post(replace, {**data, "member_code": first.member.code, "reason": "Đổi"})
    assert f"{first.member.full_name} đã được phân công giúp đỡ." in same.content.decode()

    done = client.post(replace, {**data, "reason": "Đồng chí chuyển công tác sang đơn vị khác"})
    assert done.status_code == 302
    helpers = set(Introducer.objects.values_list("member_id", flat=True))
    assert helpers == {first.member_id, newcomer.pk}
    replaced = entry("candidate.introducer_replace")
    assert replaced.reason == "Đồng chí chuyển công tác sang đơn vị khác"
    assert replaced.changes == {
        "introducer": [
            f"{second.member.full_name} ({second.member.code})",
            f"Trần Văn Thay ({newcomer.code})",
        ]
    }
    assert Candidate.unscoped.get(pk=candidate.pk).stage == Stage.FILE  # the first letter holds


def test_a_letters_date_is_corrected_with_a_reason(world):
    candidate, first, second = with_helpers(world)
    client = world.client(Role.SECRETARY)
    page = page_of(client, candidate)
    correct = f"/admissions/introducers/{first.pk}/introduction/correct/"
    assert f'href="{correct}"' in page
    assert f'href="/admissions/introducers/{second.pk}/introduction/correct/"' not in page
    old = first.introduced_on
    confirm = client.get(correct).content.decode()
    assert f"đổi từ ngày {d(old)} sang ngày ghi dưới đây" in confirm
    assert f'value="{d(old)}"' in confirm

    new = today() - datetime.timedelta(days=12)
    refused = client.post(correct, {"introduced_on": d(new)})
    assert refused.status_code == 400
    assert "Chưa sửa ngày giấy giới thiệu: Cần ghi lý do sửa ngày giấy giới thiệu." in (
        refused.content.decode()
    )
    too_early = client.post(
        correct, {"introduced_on": d(years_ago(3) + datetime.timedelta(days=30)), "reason": "X"}
    )
    assert too_early.status_code == 400
    assert "ít nhất 12 tháng" in too_early.content.decode()
    first.refresh_from_db()
    assert first.introduced_on == old

    done = client.post(correct, {"introduced_on": d(new), "reason": "Ghi nhầm ngày trên giấy"})
    assert done.status_code == 302
    first.refresh_from_db()
    assert first.introduced_on == new
    corrected = entry("candidate.introduction_correct")
    assert corrected.reason == "Ghi nhầm ngày trên giấy"
    name = first.member.full_name
    assert corrected.changes == {"introduction": [f"{name}: {d(old)}", f"{name}: {d(new)}"]}

    # Recording the letter again over the one recorded is refused: it is corrected instead.
    again = client.post(
        f"/admissions/introducers/{first.pk}/introduction/", {"introduced_on": d(today())}
    )
    assert again.status_code == 400
    assert f"Giấy giới thiệu của {name} đã ghi ngày {d(new)}: sửa ngày bằng" in (
        again.content.decode()
    )


def test_after_the_branch_vote_the_helpers_and_letters_stay(world):
    candidate = complete_file(world, new_candidate(world))
    seat_voters(world.branch, 10, today())
    record_admission_step(
        world.users[Role.SECRETARY],
        candidate,
        AdmissionStepKind.BRANCH_VOTE,
        on=today(),
        votes_for=9,
        votes_total=10,
    )
    helper = Introducer.objects.filter(candidate=candidate).first()
    client = world.client(Role.SECRETARY)
    page = page_of(client, candidate)
    assert f"/admissions/introducers/{helper.pk}/remove/" not in page
    assert "Chi bộ đã biểu quyết đề nghị kết nạp: không thay, bỏ người giới thiệu" in page
    back = client.get(f"/admissions/introducers/{helper.pk}/remove/", follow=True)
    assert "Chi bộ đã biểu quyết đề nghị kết nạp: không sửa" in back.content.decode()
    posts = {
        "remove/": {"reason": "Nhầm"},
        "replace/": {
            "member_code": world.member.code,
            "assigned_on": d(today()),
            "together_since": d(years_ago(2)),
            "reason": "Nhầm",
        },
        "introduction/correct/": {"introduced_on": d(today()), "reason": "Nhầm"},
    }
    for path, data in posts.items():
        refused = client.post(f"/admissions/introducers/{helper.pk}/{path}", data)
        assert refused.status_code == 400
        assert "Chi bộ đã biểu quyết đề nghị kết nạp: không sửa" in refused.content.decode()
    helper_before = (helper.member_id, helper.introduced_on)
    helper.refresh_from_db()
    assert (helper.member_id, helper.introduced_on) == helper_before
    assert Introducer.objects.filter(candidate=candidate).count() == 2


def test_scope_of_the_helper_changes(world):
    candidate, first, _second = with_helpers(world)
    for path in ("remove/", "replace/", "introduction/correct/"):
        url = f"/admissions/introducers/{first.pk}/{path}"
        assert world.client("outside_officer").get(url).status_code == 404
        assert world.client(Role.INSPECTOR).get(url).status_code == 403
        assert world.client(Role.INSPECTOR).post(url, {"reason": "X"}).status_code == 403
    assert Introducer.objects.filter(candidate=candidate).count() == 2
