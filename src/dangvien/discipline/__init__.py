"""Discipline (kỷ luật, domain-rules §7, Điều lệ Đảng chương VII, QĐ 296-QĐ/TW of 2025): the
decisions disciplining a member or an organisation, checked against the forms the subject may
receive, and their effects on the record (expulsion ends the membership and the card, disbandment
ends the organisation through the dated tree)."""
