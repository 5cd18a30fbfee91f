"""The rows of the awards workbook (the list page's xlsx), from the list's own queryset."""

from collections.abc import Iterable

from dangvien.awards.models import Award

HEADERS = [
    "Mã đảng viên",
    "Mã tổ chức",
    "Họ tên / Tên tổ chức",
    "Chi bộ, tổ chức khi khen",
    "Hình thức",
    "Cấp khen",
    "Danh hiệu/nội dung",
    "Từ năm",
    "Đến năm",
    "Số quyết định",
    "Ngày quyết định",
    "Cơ quan quyết định",
    "Lý do",
    "Đã hủy",
]


def award_rows(awards: Iterable[Award]):
    for award in awards:
        member, org = award.member, award.organization
        yield [
            member.code if member else "",
            org.code if org else "",
            member.full_name if member else org.name,
            award.unit.name,
            award.form_label,
            award.level_label,
            award.title,
            award.year_from,
            award.year_to,
            award.decision_number,
            award.decided_on.strftime("%d/%m/%Y"),
            award.deciding_body,
            award.reason,
            f"Đã hủy: {award.annul_reason}" if award.annulled_at else "",
        ]
