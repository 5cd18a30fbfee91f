"""Printable documents as PDF: a member's record and a branch's member register."""

import datetime
import re
import unicodedata

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.views.decorators.http import require_safe

from dangvien.core.audit import record_read
from dangvien.members import printing
from dangvien.members.selectors import get_member
from dangvien.organizations.selectors import get_org


def _ascii_filename(stem: str, code: str) -> str:
    """A file name safe in any browser and header: ASCII letters, digits, dot, dash."""
    folded = unicodedata.normalize("NFKD", code.replace("Đ", "D").replace("đ", "d"))
    ascii_code = folded.encode("ascii", "ignore").decode("ascii")
    safe = re.sub(r"[^A-Za-z0-9.]+", "-", ascii_code).strip("-.") or "tai-lieu"
    return f"{stem}-{safe}.pdf"


def _pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def _parse_day(raw: str) -> datetime.date | None:
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.datetime.strptime(raw, fmt).date()
        except ValueError:
            continue
    return None


@login_required
@require_safe
def record_pdf(request, pk):
    member = get_member(request.user, pk)
    content = printing.member_record_pdf(member)
    record_read(request.user, "member.print", org_path=member.branch_path, target=member)
    return _pdf_response(content, _ascii_filename("phieu-dang-vien", member.code))


@login_required
@require_safe
def branch_list_pdf(request, code):
    """The register of a branch; `?as_of=dd/mm/yyyy` prints it as it stood on that date."""
    branch = get_org(request.user, code)
    if not branch.is_branch:
        raise Http404("Danh sách đảng viên chỉ in được cho chi bộ.")
    as_of = None
    if raw := request.GET.get("as_of", "").strip():
        as_of = _parse_day(raw)
        if as_of is None:
            return HttpResponseBadRequest("Ngày không hợp lệ: hãy nhập theo dạng dd/mm/yyyy.")
    content = printing.branch_list_pdf(branch, as_of)
    details = {"as_of": as_of} if as_of else {}
    record_read(
        request.user, "branch.print_list", org_path=branch.path, target=branch, details=details
    )
    return _pdf_response(content, _ascii_filename("danh-sach-dang-vien", branch.code))
