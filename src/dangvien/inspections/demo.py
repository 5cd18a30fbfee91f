"""The demo's inspection work, so the ward's pages are filled: the ward inspection committee's
programme of the year with three items, an inspection carried out against one of them and
concluded, a supervision still open past its end (on the overdue list), a denunciation its
inspection-committee officer handles, and a resident's letter to the ward. Nobody is
disciplined: the demo's grades stay those it loads. Numbers differ from the import templates'
examples (site.import_examples), which must import into the demo as new rows."""

import datetime

from dangvien.accounts.models import User
from dangvien.inspections import denunciations, petitions, plans, services
from dangvien.inspections.models import Activity, Body, Conclusion, InspectionForm
from dangvien.members.demo import LONG_STANDING, member_code
from dangvien.members.models import Member
from dangvien.organizations.models import Organization

WARD = "SH.HB"


def _member(branch_code: str, skip: int = 0) -> Member | None:
    """A member of the branch admitted long ago, not one of the import templates' own."""
    reserved = [member_code(i) for i in range(1, LONG_STANDING + 1)]
    return (
        Member.unscoped.filter(branch__code=branch_code, left_on__isnull=True)
        .exclude(code__in=reserved)
        .order_by("admitted_on", "code")[skip : skip + 1]
        .first()
    )


def load(today: datetime.date) -> None:
    admin = User.objects.get(username="admin")
    officer = User.objects.get(username="ubkt")
    ward = Organization.unscoped.filter(code=WARD).first()
    school = Organization.unscoped.filter(code="SH.HB.01").first()
    if ward is None or school is None:
        return
    inspected, supervised = _member("SH.HB.01.02"), _member("SH.HB.02")
    if inspected is None or supervised is None:
        return
    decided = today - datetime.timedelta(days=120)
    # The programme of the year the demo's work began in (the one before, early in January).
    year_start = datetime.date(decided.year, 1, 1)
    plan = plans.adopt_plan(
        admin,
        ward,
        conducted_by=Body.INSPECTION_COMMITTEE,
        year=decided.year,
        number="01-CTr/UBKT",
        adopted_on=min(decided, year_start + datetime.timedelta(days=14)),
    )
    item = plans.add_item(
        admin,
        plan,
        plans.Item(
            activity=Activity.INSPECTION,
            form=InspectionForm.SIGNS_OF_VIOLATION,
            subject=inspected.full_name,
            content="Việc thực hiện quy định về những điều đảng viên không được làm",
            timing="Quý II",
        ),
    )
    plans.add_item(
        admin,
        plan,
        plans.Item(
            activity=Activity.INSPECTION,
            form=InspectionForm.FINANCE,
            subject=school.name,
            content="Thu, nộp, quản lý đảng phí",
            timing="Quý IV",
        ),
    )
    plans.add_item(
        admin,
        plan,
        plans.Item(
            activity=Activity.SUPERVISION,
            form=InspectionForm.THEMATIC,
            subject="Các chi bộ khu phố",
            content="Việc duy trì sinh hoạt chi bộ định kỳ",
            timing="Cả năm",
        ),
    )
    done = services.record_inspection(
        admin,
        inspected,
        services.InspectionDecision(
            body=ward,
            conducted_by=Body.INSPECTION_COMMITTEE,
            activity=Activity.INSPECTION,
            form=InspectionForm.SIGNS_OF_VIOLATION,
            number="03-QĐ/UBKT",
            decided_on=decided,
            content=item.content,
            team="Đồng chí Võ Thị Thanh Hương (tổ trưởng), đồng chí Lý Văn Sơn",
            planned=item,
        ),
    )
    services.record_progress(
        admin,
        done,
        self_report="Đảng viên đã báo cáo, giải trình bằng văn bản.",
        findings="Có vi phạm nhỏ trong việc kê khai, đã tự khắc phục.",
    )
    services.conclude(
        admin,
        done,
        conclusion=Conclusion.VIOLATION,
        concluded_on=min(today, decided + datetime.timedelta(days=30)),
        remedies="Kiểm điểm, rút kinh nghiệm trước chi bộ.",
    )
    services.record_inspection(
        admin,
        supervised,
        services.InspectionDecision(
            body=ward,
            conducted_by=Body.COMMITTEE,
            activity=Activity.SUPERVISION,
            form=InspectionForm.THEMATIC,
            number="05-KH/ĐU",
            decided_on=today - datetime.timedelta(days=90),
            content="Việc thực hiện nhiệm vụ đảng viên nơi cư trú",
            due_on=today - datetime.timedelta(days=20),
        ),
    )
    received = today - datetime.timedelta(days=40)
    denunciations.record_denunciation(
        officer,
        ward,
        supervised,
        denunciations.Received(
            received_on=received,
            content="Đảng viên sử dụng xe công vào việc riêng.",
            denouncer_name="Nguyễn Văn Tố",
            denouncer_contact="Tổ dân phố 3, phường Hòa Bình",
        ),
    )
    petitions.register(
        admin,
        ward,
        petitions.Letter(
            received_on=received,
            sender="Ông Trịnh Văn Dân",
            sender_address="Khu phố Đông Hải",
            kind="kien_nghi",
            topic="Lịch sinh hoạt chi bộ khu phố",
            content="Đề nghị chi bộ khu phố thông báo lịch sinh hoạt trước một tuần.",
        ),
    )
