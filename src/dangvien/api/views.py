"""REST endpoints under /api/v1/: thin wrappers over the same selectors and services as the UI."""

from urllib.parse import unquote

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from dangvien.api import serializers
from dangvien.core import versions
from dangvien.core.audit import record_read
from dangvien.core.decisions import Decision
from dangvien.core.queryparams import object_pk
from dangvien.core.roles import Capability
from dangvien.members import selectors as member_selectors
from dangvien.organizations import selectors, services, timelines

VERSION_HEADER = OpenApiParameter(
    "If-Match",
    str,
    OpenApiParameter.HEADER,
    description="ETag của chính tổ chức này đã đọc (GET), bắt buộc nếu không gửi trường "
    "version. Tổ chức bị sửa sau đó, hoặc ETag đọc từ một tổ chức khác: 412 kèm nội dung thay "
    "đổi và ETag hiện tại; không gửi phiên bản nào: 428. «If-Match: *» (khớp mọi phiên bản) "
    "không được chấp nhận và cũng trả 428, vì nó không chống ghi đè thay đổi của người khác.",
)
STALE = OpenApiResponse(
    serializers.StaleSerializer,
    description="Tổ chức đã bị sửa sau khi bạn đọc (ai sửa, lúc nào, trường nào cũ → mới), "
    "hoặc phiên bản gửi kèm được đọc từ một tổ chức khác.",
)
VERSION_REQUIRED = OpenApiResponse(
    serializers.VersionRequiredSerializer,
    description="Thiếu phiên bản đã đọc: gửi ETag trong If-Match hoặc trường version "
    "(«If-Match: *» không được chấp nhận).",
)


def _expected_version(request, data) -> str:
    """The version the client read: the If-Match header (the ETag of GET) or `version`; ""
    when it sent neither and "*" (any version), which the services refuse (428, api/errors.py)."""
    return request.headers.get("If-Match") or data.get("version") or ""


def _code(code: str) -> str:
    """The code in the URL: "/" and "%" of a code stored before codes were checked arrive
    percent-encoded, as on the web pages (core/converters.py)."""
    return unquote(code)


def _decision(data) -> Decision:
    return Decision(
        effective_on=data.get("effective_on"),
        number=data.get("decision_number", ""),
        body=data.get("decision_body", ""),
        reason=data.get("reason", ""),
    )


@extend_schema(tags=["Tổ chức"])
class OrganizationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Organisations in the caller's scope; `under=CODE` limits to a subtree."""

    serializer_class = serializers.OrganizationSerializer
    lookup_field = "code"
    lookup_value_regex = "[^/]+"

    def get_queryset(self):
        queryset = selectors.visible_orgs(self.request.user).select_related("parent")
        if under := self.request.query_params.get("under"):
            root = selectors.get_org(self.request.user, under)
            queryset = queryset.filter(path__startswith=root.path)
        if not self.request.query_params.get("include_ended"):
            queryset = queryset.filter(ended_on__isnull=True)
        if query := self.request.query_params.get("q", "").strip():
            queryset = selectors.matching(queryset, query)
        return queryset.order_by("path")

    def get_object(self):
        return selectors.get_org(self.request.user, _code(self.kwargs["code"]))

    def _to_manage(self, code: str):
        """The organisation an edit acts on, as the web pages find it: by its code, even one
        stored before codes were checked, or by a code it had when the client read it (the
        service then refuses the client's stale version with 412, naming the change)."""
        return selectors.get_org_by_any_code(self.request.user, _code(code), Capability.MANAGE_ORGS)

    def _answer(self, org, status: int = 200) -> Response:
        """The organisation with its version, in the body and as the ETag (one token)."""
        tag = versions.token(org)
        context = {**self.get_serializer_context(), "versions": {org.pk: tag}}
        data = self.get_serializer_class()(org, context=context).data
        return Response(data, status=status, headers={"ETag": f'"{tag}"'})

    @extend_schema(
        responses={200: serializers.OrganizationSerializer},
        description="Trả về ETag (bằng trường version): gửi lại trong If-Match khi đổi tên, "
        "chuyển hoặc giải thể chính tổ chức này.",
    )
    def retrieve(self, request, *args, **kwargs):
        return self._answer(self.get_object())

    @extend_schema(
        parameters=[
            OpenApiParameter("under", str, description="mã tổ chức gốc của cây con"),
            OpenApiParameter("include_ended", bool, description="gồm cả tổ chức đã giải thể"),
            OpenApiParameter(
                "q",
                str,
                description="tìm theo tên (không cần dấu, các từ theo thứ tự), theo đầu mã "
                "hoặc theo đầu một mã cũ (trường former_code cho biết mã cũ đã khớp)",
            ),
        ]
    )
    def list(self, request, *args, **kwargs):
        """One page of organisations, each with its own version (read in one query)."""
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        rows = list(queryset) if page is None else page
        context = {
            **self.get_serializer_context(),
            "versions": versions.tokens_many(rows),
            "successors": timelines.successors(request.user, rows),
        }
        data = self.get_serializer_class()(rows, many=True, context=context).data
        return Response(data) if page is None else self.get_paginated_response(data)

    @extend_schema(
        request=serializers.CreateOrganizationSerializer,
        responses=serializers.OrganizationSerializer,
    )
    def create(self, request):
        data = self._valid(serializers.CreateOrganizationSerializer)
        parent = None
        if data.get("parent_code"):
            parent = selectors.get_org(request.user, data["parent_code"], Capability.MANAGE_ORGS)
        org = services.create_organization(
            request.user,
            code=data["code"],
            name=data["name"],
            kind=data["kind"],
            parent=parent,
            founded_on=data.get("effective_on"),
            sector=data.get("sector", ""),
            decision=_decision(data),
        )
        return self._answer(org, status=201)

    @extend_schema(
        request=serializers.RenameSerializer,
        responses={200: serializers.OrganizationSerializer, 412: STALE, 428: VERSION_REQUIRED},
        parameters=[VERSION_HEADER],
    )
    @action(detail=True, methods=["post"])
    def rename(self, request, code=None):
        org = self._to_manage(code)
        data = self._valid(serializers.RenameSerializer)
        org = services.rename_organization(
            request.user,
            org,
            data["name"],
            _decision(data),
            expected_version=_expected_version(request, data),
        )
        return self._answer(org)

    @extend_schema(
        request=serializers.MoveSerializer,
        responses={200: serializers.OrganizationSerializer, 412: STALE, 428: VERSION_REQUIRED},
        parameters=[VERSION_HEADER],
    )
    @action(detail=True, methods=["post"])
    def move(self, request, code=None):
        org = self._to_manage(code)
        data = self._valid(serializers.MoveSerializer)
        parent = selectors.get_org(request.user, data["parent_code"], Capability.MANAGE_ORGS)
        org = services.move_organization(
            request.user,
            org,
            parent,
            _decision(data),
            expected_version=_expected_version(request, data),
        )
        return self._answer(org)

    @extend_schema(
        request=serializers.DissolveSerializer,
        responses={200: serializers.OrganizationSerializer, 412: STALE, 428: VERSION_REQUIRED},
        parameters=[VERSION_HEADER],
    )
    @action(detail=True, methods=["post"])
    def dissolve(self, request, code=None):
        org = self._to_manage(code)
        data = self._valid(serializers.DissolveSerializer)
        org = services.dissolve_organization(
            request.user,
            org,
            _decision(data),
            kind=data["kind"],
            expected_version=_expected_version(request, data),
        )
        return self._answer(org)

    def _valid(self, serializer_class) -> dict:
        serializer = serializer_class(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data


@extend_schema(tags=["Tài khoản"], responses=serializers.MeSerializer)
class MeView(APIView):
    """The signed-in user and the roles they hold."""

    def get(self, request):
        bindings = request.user.role_bindings.filter(active=True).select_related("organization")
        data = {
            "username": request.user.username,
            "full_name": request.user.full_name,
            "roles": list(bindings),
        }
        return Response(serializers.MeSerializer(data).data)


@extend_schema(
    tags=["Đảng viên"],
    parameters=[
        OpenApiParameter(name, str, description=description)
        for name, description in [
            ("q", "họ tên không dấu, mã, số thẻ hoặc số CCCD"),
            ("org", "mã tổ chức: chỉ đảng viên trong cây con"),
            (
                "status",
                "active (mặc định), official, probationary, exempt, left, transferred_out "
                "(đã chuyển sinh hoạt ra ngoài hệ thống), all",
            ),
            ("gender", "Nam hoặc Nữ"),
            ("qualification", "trình độ chuyên môn"),
            ("political_theory", "trình độ lý luận chính trị"),
        ]
    ],
)
class MemberViewSet(viewsets.ReadOnlyModelViewSet):
    """Member records in the caller's scope, with the filters of the member list."""

    serializer_class = serializers.MemberSerializer
    lookup_value_regex = "[^/]+"  # any id reaches get_object: a JSON 404, not an HTML page

    def get_queryset(self):
        filters = member_selectors.MemberFilters.from_query(self.request.query_params)
        return member_selectors.filter_members(self.request.user, filters)

    def get_object(self):
        return member_selectors.get_member(self.request.user, object_pk(self.kwargs["pk"]))

    def retrieve(self, request, *args, **kwargs):
        """One full record; the read is recorded in the audit like the record's page."""
        member = self.get_object()
        data = self.get_serializer(member).data
        record_read(
            request.user,
            "member.view",
            org_path=member.branch_path,
            target=member,
            details={"via": "API"},
        )
        return Response(data)
