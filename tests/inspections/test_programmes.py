"""Yearly programmes of inspection and supervision: a body adopts its programme, adds items,
carries them out by activities recorded «theo chương trình», drops one with a reason; the page
shows planned against done."""

from dangvien.core.roles import Role
from dangvien.inspections.models import Inspection, InspectionPlan, PlannedActivity
from tests.inspections.test_inspection_pages import _new
from tests.transfers.steps import ONE_DAY, today

URL = "/inspections/org/P.U1/programmes/"


def _item(client, plan, **fields):
    data = {
        "plan": str(plan.pk),
        "activity": "kiem_tra",
        "form": "khi_co_dau_hieu_vi_pham",
        "subject": "Đồng chí Nguyễn Văn An",
        "content": "Việc kê khai tài sản, thu nhập",
        "timing": "Quý II",
        "due_on": "",
        "team": "Tổ kiểm tra số 1",
    }
    data.update(fields)
    return client.post(URL, data)


def test_a_programme_planned_then_carried_out(world):
    client = world.client(Role.OFFICER)
    year = (today() - ONE_DAY * 60).year  # the year of the activity _new records
    adopt = {
        "conducted_by": "uy_ban_kiem_tra",
        "year": year,
        "number": "01-CTr/UBKT",
        "adopted_on": "",
    }
    assert client.post(URL, adopt).status_code == 302
    again = client.post(URL, adopt)
    assert again.status_code == 400 and f"Đã có chương trình năm {year}" in again.content.decode()
    plan = InspectionPlan.unscoped.get()

    refused = _item(client, plan, activity="giam_sat")  # a supervision on signs of violation
    assert refused.status_code == 400 and "Giám sát chỉ có hình thức" in refused.content.decode()
    assert _item(client, plan).status_code == 302
    assert _item(client, plan, subject="Chi bộ Tổ Văn", form="tai_chinh_dang").status_code == 302
    first, second = PlannedActivity.unscoped.order_by("id")
    page = client.get(f"{URL}?year={year}").content.decode()
    assert "Kế hoạch 2 nội dung, đã thực hiện 0." in page

    form = client.get(f"/inspections/org/P.U1/new/?item={first.pk}").content.decode()
    assert f'<option value="{first.pk}" selected>' in form
    assert '<option value="uy_ban_kiem_tra" selected>' in form  # the item's body and form
    assert '<option value="khi_co_dau_hieu_vi_pham" selected>' in form
    assert _new(client, "P.U1", planned=str(first.pk)).status_code == 302
    assert Inspection.unscoped.get().planned_id == first.pk
    assert (
        "Kế hoạch 2 nội dung, đã thực hiện 1." in client.get(f"{URL}?year={year}").content.decode()
    )

    drop = f"/inspections/programme-item/{second.pk}/drop/"
    assert client.post(drop, {"reason": ""}).status_code == 400
    assert client.post(drop, {"reason": "Chuyển sang năm sau"}).status_code == 302
    page = client.get(f"{URL}?year={year}").content.decode()
    assert "Kế hoạch 1 nội dung, đã thực hiện 1." in page and "Chuyển sang năm sau" in page
    done_drop = client.post(f"/inspections/programme-item/{first.pk}/drop/", {"reason": "Thử"})
    assert done_drop.status_code == 400 and "đã thực hiện" in done_drop.content.decode()

    inspector = world.client(Role.INSPECTOR)
    read = inspector.get(f"{URL}?year={year}").content.decode()
    assert "Kế hoạch 1 nội dung" in read and 'id="plan-new"' not in read
    assert inspector.post(URL, adopt).status_code == 403
