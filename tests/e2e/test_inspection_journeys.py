"""Browser journey of inspection work: the ward's officer records an inspection from the menu,
records what the team found, concludes it on the confirmation page and reads it in the report."""

import pytest

from dangvien.inspections.models import Conclusion, Inspection
from tests.conftest import build_world
from tests.e2e.conftest import follow, login, shot
from tests.factories import PASSWORD
from tests.transfers.steps import ONE_DAY, ddmmyyyy, today

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def live_world(transactional_db):
    return build_world()


def test_record_conclude_and_report_an_inspection(page, live_world):
    decided = today() - ONE_DAY * 20
    login(page, "canbo", PASSWORD)
    follow(page, 'nav >> text="Cuộc kiểm tra, giám sát"')
    follow(page, "#inspection-new")
    page.select_option("#id_conducted_by", "uy_ban_kiem_tra")
    page.select_option("#id_form", "khi_co_dau_hieu_vi_pham")
    page.fill("#id_subject_code", "DV-TRONG-1")
    page.fill("#id_decision_number", "15-QĐ/UBKT")
    page.fill("#id_decided_on", ddmmyyyy(decided))
    page.fill("#id_content", "Việc kê khai tài sản, thu nhập")
    follow(page, "#inspection-new button[type=submit]")
    assert "Đã ghi cuộc kiểm tra, giám sát." in page.locator(".messages").inner_text()
    page.fill("#id_findings", "Kê khai thiếu một tài khoản")
    follow(page, "#progress button[type=submit]")
    follow(page, "#conclude")
    page.select_option("#id_conclusion", "vi_pham")
    page.fill("#id_concluded_on", ddmmyyyy(today()))
    page.fill("#id_remedies", "Kiểm điểm trước chi bộ")
    shot(page, "inspection-conclude")
    follow(page, "#inspection-conclude button[type=submit]")
    assert "Có vi phạm, chưa đến mức kỷ luật" in page.locator("#conclusion").inner_text()
    inspection = Inspection.unscoped.get()
    assert (inspection.conclusion, inspection.findings) == (
        Conclusion.VIOLATION,
        "Kê khai thiếu một tài khoản",
    )
    page.goto(f"{page.base}/reports/inspection/?org=P.U1&year={decided.year}")
    table = page.locator("#activity-kiem_tra").inner_text()
    assert "Khi có dấu hiệu vi phạm\t0\t1" in table
    shot(page, "inspection-report")
