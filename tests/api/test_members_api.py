"""/api/v1/members/: the member list and records, in scope, with the list's filters."""

from dangvien.core.roles import Role


def test_list_is_scoped_and_filtered(world):
    client = world.client(Role.OFFICER)
    data = client.get("/api/v1/members/").json()
    assert [item["full_name"] for item in data["results"]] == ["Nguyễn Văn An", "Trần Thị Bình"]
    data = client.get("/api/v1/members/", {"q": "tran thi"}).json()
    assert [item["code"] for item in data["results"]] == ["DV-TRONG-2"]
    assert world.client(Role.SECRETARY).get("/api/v1/members/").json()["count"] == 1


def test_detail_and_refusals(world):
    client = world.client(Role.OFFICER)
    record = client.get(f"/api/v1/members/{world.member.pk}/").json()
    assert record["branch_code"] == world.branch.code
    assert record["status_label"] == "Chính thức"
    assert record["admitted_on"] == "2010-02-03"
    assert client.get(f"/api/v1/members/{world.outside_member.pk}/").status_code == 404
    own = world.client(Role.MEMBER).get(f"/api/v1/members/{world.member.pk}/")
    assert own.status_code == 200
    assert (
        world.client(Role.MEMBER).get(f"/api/v1/members/{world.other_member.pk}/").status_code
        == 404
    )
