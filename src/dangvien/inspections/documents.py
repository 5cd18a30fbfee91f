"""The conclusion notice of an inspection or supervision as a party document (core.documents):
«Thông báo kết luận», printed from the activity recorded once it is concluded."""

from dangvien.core.documents import PartyDocument, committee_of, signed_for
from dangvien.inspections.models import Body, Conclusion, Inspection
from dangvien.organizations.models import Organization


def _issuer(inspection: Inspection) -> tuple[str, str, str, str]:
    """(issuer, the level above it, «T/M» line, signer's post)."""
    org = inspection.body
    if inspection.conducted_by == Body.INSPECTION_COMMITTEE:
        return (
            f"Ủy ban kiểm tra {committee_of(org)}",
            committee_of(org),
            "T/M Ủy ban kiểm tra",
            "Chủ nhiệm",
        )
    above = Organization.unscoped.filter(pk=org.parent_id).first()
    signed, role = signed_for(org)
    return committee_of(org), committee_of(above) if above else "", signed, role


def conclusion_document(inspection: Inspection, place: str = "") -> PartyDocument:
    if inspection.conclusion == Conclusion.PENDING or inspection.concluded_on is None:
        raise ValueError("no conclusion yet")
    issuer, above, signed, role = _issuer(inspection)
    activity = inspection.get_activity_display().lower()
    subject = (
        f"đồng chí {inspection.member.full_name}"
        if inspection.member_id
        else inspection.subject_name
    )
    body = [
        f"Thực hiện Quyết định số {inspection.decision_number} ngày "
        f"{inspection.decided_on:%d/%m/%Y} của {issuer} về {activity} "
        f"{inspection.get_form_display().lower()} đối với {subject}"
        + (f", nội dung: {inspection.content}" if inspection.content else "")
        + (f"; thời kỳ {inspection.period}" if inspection.period else "")
        + ".",
    ]
    if inspection.team:
        body.append(f"Đoàn (tổ) {activity}: {inspection.team}.")
    if inspection.self_report:
        body.append(f"Báo cáo, giải trình của {subject}: {inspection.self_report}")
    if inspection.findings:
        body.append(f"Kết quả thẩm tra, xác minh: {inspection.findings}")
    body.append(f"{issuer} kết luận: {inspection.get_conclusion_display()}.")
    if inspection.remedies:
        body.append(f"Yêu cầu {subject}: {inspection.remedies}")
    return PartyDocument(
        issuer=issuer,
        above=above,
        number="…………",  # the notice's own number is written when it is issued
        day=inspection.concluded_on,
        title="THÔNG BÁO",
        about=f"kết luận {activity} đối với {subject}",
        body=body,
        recipients=[
            subject[0].upper() + subject[1:],
            *([f"{above} (để báo cáo)"] if above else []),
            "Lưu hồ sơ",
        ],
        signed_for=signed,
        signer_role=role,
        place=place,
        annulled="Cuộc kiểm tra, giám sát này đã bị hủy." if inspection.annulled_at else "",
    )
