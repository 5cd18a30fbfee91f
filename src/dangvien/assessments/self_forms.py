"""The forms of the individual self-assessment (bản kiểm điểm cá nhân) by member category: Mẫu
2A for cadres holding a leading or managing post, 2B for cadres, civil servants and public
employees without one, 2C for the other members (HD 25-HD/BTCTW, kept by HD 43-HD/BTCTW; the
mapping is unconfirmed for HD 43, domain-rules §4.3). Each form's outline prefills the text the
member writes; the printed self-assessment carries the form's title."""

from django.db import models
from django.utils import timezone

from dangvien.core.documents import PartyDocument, committee_of
from dangvien.organizations.models import Organization


class SelfForm(models.TextChoices):
    LEADER = "2A", "Mẫu 2A – cán bộ lãnh đạo, quản lý"
    STAFF = "2B", "Mẫu 2B – cán bộ, công chức, viên chức không giữ chức vụ lãnh đạo, quản lý"
    MEMBER = "2C", "Mẫu 2C – đảng viên không là cán bộ, công chức, viên chức"


_COMMON = [
    "I. Ưu điểm, kết quả đạt được",
    "1. Về tư tưởng chính trị",
    "2. Về phẩm chất đạo đức, lối sống; ý thức tổ chức kỷ luật",
    "3. Về thực hiện chức trách, nhiệm vụ được giao",
]
_LEADER = [
    "4. Về trách nhiệm nêu gương; kết quả lãnh đạo, quản lý của tập thể, cơ quan, đơn vị được "
    "giao phụ trách",
]
_CLOSING = [
    "{n}. Việc thực hiện cam kết tu dưỡng, rèn luyện, phấn đấu hằng năm",
    "II. Hạn chế, khuyết điểm và nguyên nhân",
    "III. Kết quả khắc phục những hạn chế, khuyết điểm đã được cấp có thẩm quyền kết luận hoặc "
    "được chỉ ra ở các kỳ kiểm điểm trước",
    "IV. Giải trình những vấn đề được gợi ý kiểm điểm (nếu có)",
    "V. Làm rõ trách nhiệm của cá nhân đối với những hạn chế, khuyết điểm của tập thể (nếu có)",
    "VI. Phương hướng, biện pháp khắc phục hạn chế, khuyết điểm",
]


def headings(form: str) -> list[str]:
    """The sections of a form, in order."""
    middle = _LEADER if form == SelfForm.LEADER else []
    closing = [line.format(n=len(_COMMON) + len(middle)) for line in _CLOSING]
    return [*_COMMON, *middle, *closing]


def outline(form: str) -> str:
    """The text a member starts from: the form's headings, a blank line after each."""
    return "\n\n".join(headings(form)) + "\n"


_STAFF_WORDS = ("cán bộ", "công chức", "viên chức", "quân đội", "công an")


def suggested(member) -> str:
    """The form a member most likely uses: 2A when they hold a party or state post, 2B when
    their occupation names a cadre, civil servant or public employee, else 2C. The member may
    choose another."""
    if member.party_position.strip() or member.state_position.strip():
        return SelfForm.LEADER
    occupation = f"{member.occupation} {member.workplace}".lower()
    if any(word in occupation for word in _STAFF_WORDS):
        return SelfForm.STAFF
    return SelfForm.MEMBER


def self_assessment_document(assessment) -> PartyDocument:
    """The member's self-assessment printed in the form's layout, signed by the member."""
    member, branch = assessment.member, assessment.branch
    above = Organization.unscoped.filter(pk=branch.parent_id).first()
    form = SelfForm(assessment.self_form or suggested(member))
    posts = "; ".join(
        p for p in (member.party_position, member.state_position, member.mass_org_position) if p
    )
    body = [
        f"Họ và tên: {member.full_name}. Ngày sinh: {member.birth_date:%d/%m/%Y}.",
        f"Chức vụ: {posts or 'không'}. Nơi công tác: {member.workplace or '—'}.",
        f"Chi bộ: {branch.name}.",
        *[line for line in assessment.self_assessment.splitlines() if line.strip()],
    ]
    if assessment.self_score is not None:
        body.append(f"Tự chấm điểm: {assessment.self_score}/100 điểm.")
    if assessment.self_grade:
        body.append(f"VII. Tự nhận mức xếp loại chất lượng: {assessment.get_self_grade_display()}.")
    submitted = assessment.self_submitted_at
    day = timezone.localtime(submitted).date() if submitted else assessment.self_paper_on
    return PartyDocument(
        issuer=branch.name,
        above=committee_of(above) if above else "",
        number="",
        day=day,
        title="BẢN KIỂM ĐIỂM CÁ NHÂN",
        about=f"năm {assessment.year} ({form.label})",
        body=body,
        recipients=[],
        signed_for="Người tự kiểm điểm",
        signer_role=member.full_name,
    )
