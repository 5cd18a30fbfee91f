"""Pages that end an organisation (giải thể, giải tán) and restore one ended by mistake: each
says what it changes before the final confirmation."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from django.views.decorators.http import require_http_methods

from dangvien.core import blockers as core_blockers
from dangvien.core import versions
from dangvien.core.confirm import FinalAction, confirm_final_action
from dangvien.core.vntext import number
from dangvien.members.selectors import former_member_count
from dangvien.organizations import selectors, services
from dangvien.organizations.forms import DissolveOrganizationForm, RestoreOrganizationForm
from dangvien.organizations.models import OrgEventKind
from dangvien.organizations.views.changes import org_to_manage


def _org_page(org, title: str, refused: str, button: str, form_id: str) -> FinalAction:
    detail_url = reverse("organizations:detail", args=[org.code])
    return FinalAction(
        title=f"{title}: {org.name}",
        back_url=detail_url,
        button=button,
        refused=refused,
        breadcrumb=[(reverse("organizations:tree"), "Cây tổ chức"), (detail_url, org.name)],
        form_id=form_id,
    )


def _url(name: str, *args, **query) -> str:
    return f"{reverse(name, args=args)}?{urlencode(query)}" if query else reverse(name, args=args)


@login_required
@require_http_methods(["GET", "POST"])
def dissolve(request, code):
    """Dissolve: a page that says what it changes and what must move out first, the decision
    with its required reason, then the dissolution (organizations.services)."""
    org = org_to_manage(request, code)
    if not org.is_active:
        messages.info(request, f"{org.name} đã giải thể từ {org.ended_on:%d/%m/%Y}.")
        return redirect("organizations:detail", code=org.code)
    form = DissolveOrganizationForm(
        request.POST if request.method == "POST" else None,
        user=request.user,
        initial={"version": versions.token(org)},
    )
    kind = request.POST.get("kind") or OrgEventKind.END
    doing = services.END_LABELS.get(kind, services.END_LABELS[OrgEventKind.END])
    return confirm_final_action(
        request,
        _org_page(org, "Giải thể tổ chức", f"Chưa {doing}", "Xác nhận giải thể", "org-dissolve"),
        form,
        perform=lambda data: services.dissolve_organization(
            request.user,
            org,
            form.decision(),
            kind=data["kind"],
            expected_version=data["version"],
        ),
        done=f"Đã {doing} {org.name}.",
        consequences=lambda: _dissolve_consequences(org),
    )


def _dissolve_consequences(org) -> list[str]:
    blockers = services.dissolution_blockers(org)
    lines = [
        f"{org.name} chuyển sang «Đã giải thể» từ ngày giải thể ghi dưới đây: không còn trong "
        "cây tổ chức và các danh sách tổ chức đang hoạt động, không nhận đảng viên, quần chúng "
        "mới; báo cáo của những ngày trước đó vẫn tính tổ chức này."
    ]
    moves = [
        (
            blockers["children"],
            _url("organizations:detail", org.code) + "#children",
            "tổ chức trực thuộc đang hoạt động",
            "chuyển hoặc giải thể các tổ chức này trước",
        ),
        (
            blockers["members"],
            _url("members:list", org=org.code),
            "đảng viên đang sinh hoạt",
            "chuyển sinh hoạt đảng cho các đảng viên này trước",
        ),
        (
            blockers["candidates"],
            _url("admissions:candidates", org=org.code),
            "quần chúng trong nguồn kết nạp",
            "chuyển họ sang chi bộ khác hoặc dừng xem xét trước",
        ),
    ]
    for count, url, what, then in moves:
        if count:
            lines.append(
                format_html(
                    '<strong>Chưa giải thể được:</strong> còn <a href="{}">{} {}</a>: {}.',
                    url,
                    number(count),
                    what,
                    then,
                )
            )
    for blocker in core_blockers.org_blockers():  # the higher apps' (transfers: letters)
        if blockers.get(blocker.key):
            lines.append(
                format_html(
                    "<strong>Chưa giải thể được:</strong> {}",
                    blocker.message(org, blockers[blocker.key]),
                )
            )
    if not any(blockers.values()):
        lines.append(
            f"{org.name} không còn tổ chức trực thuộc, đảng viên đang sinh hoạt hay quần chúng "
            "đang được xem xét."
        )
    if former := former_member_count(org):
        lines.append(
            format_html(
                '<a href="{}">{} hồ sơ đảng viên đã ra khỏi Đảng, từ trần</a> vẫn gắn với tổ chức '
                "như trước.",
                _url("members:list", org=org.code, status="left"),
                number(former),
            )
        )
    lines += [
        f"Vai trò của các tài khoản được phân quyền ở {org.name} (bí thư, cán bộ, kiểm tra…) "
        "hết hiệu lực ngay khi giải thể.",
        "Lịch sử của tổ chức được giữ; nếu giải thể nhầm, tổ chức được khôi phục trên trang của "
        "tổ chức («Khôi phục tổ chức»), với lý do ghi vào lịch sử.",
    ]
    return lines


@login_required
@require_http_methods(["GET", "POST"])
def restore(request, code):
    """Restore a dissolved organisation: a page that says what comes back and what does not,
    the required reason, then the restoration (refused when its place was taken since)."""
    org = org_to_manage(request, code)
    if org.is_active:
        messages.info(request, f"{org.name} đang hoạt động.")
        return redirect("organizations:detail", code=org.code)
    form = RestoreOrganizationForm(
        request.POST if request.method == "POST" else None,
        initial={"version": versions.token(org)},
    )
    return confirm_final_action(
        request,
        _org_page(org, "Khôi phục tổ chức", "Chưa khôi phục", "Xác nhận khôi phục", "org-restore"),
        form,
        perform=lambda data: services.restore_organization(
            request.user, org, reason=data["reason"], expected_version=data["version"]
        ),
        done=f"Đã khôi phục {org.name}.",
        consequences=lambda: _restore_consequences(request.user, org),
    )


def _restore_consequences(user, org) -> list[str]:
    lines = []
    if problem := services.restoration_refusal(org):
        lines.append(format_html("<strong>Không khôi phục được:</strong> {}", problem))
    lines += [
        f"{org.name} hoạt động trở lại: ngày giải thể ({org.ended_on:%d/%m/%Y}) được xóa; tổ "
        "chức có lại trong cây tổ chức, nhận đảng viên và quần chúng mới.",
        f"Báo cáo của các ngày từ {org.ended_on:%d/%m/%Y} tính lại tổ chức này như chưa từng "
        "giải thể.",
        f"Vai trò của các tài khoản được phân quyền ở {org.name} có hiệu lực trở lại.",
        "Đảng viên, quần chúng và tổ chức đã chuyển đi trước khi giải thể không tự trở về; chuyển "
        "họ về nếu cần.",
    ]
    ended = selectors.orgs_below(user, org, selectors.BelowFilters(state="ended")).count()
    if ended:
        lines.append(
            format_html(
                '<a href="{}">{} tổ chức trực thuộc đã giải thể</a> vẫn ở tình trạng đã giải thể; '
                "khôi phục từng tổ chức nếu cần.",
                _url("organizations:below", org.code, state="ended"),
                number(ended),
            )
        )
    lines.append("Lịch sử giữ cả việc giải thể và việc khôi phục này, cùng lý do.")
    return lines
