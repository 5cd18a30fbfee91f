"""The discipline decision as a party document (core.documents): «Quyết định về việc thi hành
kỷ luật», printed from the decision recorded (who, which form, the violation, the complaint
deadline), marked across the top when annulled since."""

import datetime

from django.utils import timezone

from dangvien.core.documents import PartyDocument, committee_of, signed_for
from dangvien.discipline.models import Discipline, DisciplineForm
from dangvien.organizations.models import Organization

QD_296_DAY = datetime.date(2025, 5, 30)  # QĐ 296-QĐ/TW, in force for decisions since


def _legal_basis(day: datetime.date) -> list[str]:
    basis = ["Căn cứ Điều lệ Đảng Cộng sản Việt Nam;"]
    if day >= QD_296_DAY:
        basis.append(
            "Căn cứ Quy định số 296-QĐ/TW ngày 30/5/2025 của Ban Chấp hành Trung ương về công "
            "tác kiểm tra, giám sát và kỷ luật của Đảng;"
        )
    else:
        basis.append(
            "Căn cứ các quy định của Ban Chấp hành Trung ương về công tác kiểm tra, giám sát "
            "và kỷ luật của Đảng;"
        )
    return basis


def decision_document(discipline: Discipline, place: str = "") -> PartyDocument:
    body = discipline.deciding_org
    above = Organization.unscoped.filter(pk=body.parent_id).first()
    form = DisciplineForm(discipline.form).label
    if discipline.member_id:
        member = discipline.member
        branch = Organization.unscoped.get(pk=discipline.unit_id)
        who = f"đồng chí {member.full_name}"
        about = f"về việc thi hành kỷ luật đối với đồng chí {member.full_name}"
        article_1 = (
            f"Điều 1. Thi hành kỷ luật bằng hình thức {form.upper()} đối với đồng chí "
            f"{member.full_name}, đảng viên {branch.name} (mã đảng viên {member.code})."
        )
        executors = f"{branch.name}, các tổ chức đảng có liên quan và đồng chí {member.full_name}"
    else:
        org = discipline.organization
        who = org.name
        about = f"về việc thi hành kỷ luật đối với {org.name}"
        article_1 = f"Điều 1. Thi hành kỷ luật bằng hình thức {form.upper()} đối với {org.name}."
        executors = f"{org.name} và các tổ chức đảng có liên quan"
    preamble = _legal_basis(discipline.decided_on)
    if discipline.violation:
        preamble.append(f"Xét nội dung vi phạm: {discipline.violation}")
    signed, role = signed_for(body)
    annulled = ""
    if discipline.annulled_at is not None:
        annulled = (
            f"Quyết định này đã bị hủy ngày "
            f"{timezone.localtime(discipline.annulled_at):%d/%m/%Y}: {discipline.annul_reason}"
        )
    return PartyDocument(
        issuer=committee_of(body),
        above=committee_of(above) if above is not None else "",
        number=discipline.decision_number,
        day=discipline.decided_on,
        title="QUYẾT ĐỊNH",
        about=about,
        preamble=preamble,
        decides=f"{committee_of(body).upper()} QUYẾT ĐỊNH:",
        body=[
            article_1,
            f"Điều 2. Quyết định có hiệu lực từ ngày {discipline.decided_on:%d/%m/%Y}. Không "
            f"đồng ý với quyết định, {who} có quyền khiếu nại lên cấp ủy cấp trên đến hết ngày "
            f"{discipline.complaint_until:%d/%m/%Y}; trong thời gian giải quyết khiếu nại, "
            "quyết định vẫn được thi hành.",
            f"Điều 3. {executors} chịu trách nhiệm thi hành quyết định này.",
        ],
        recipients=[
            "Như Điều 3",
            *([f"{committee_of(above)} (để báo cáo)"] if above is not None else []),
            "Lưu hồ sơ",
        ],
        signed_for=signed,
        signer_role=role,
        place=place,
        annulled=annulled,
    )
