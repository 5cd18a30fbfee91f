from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from dangvien.core import versions
from dangvien.core.roles import Role
from dangvien.organizations.models import Organization, OrgEventKind, OrgKind, Sector
from dangvien.organizations.timelines import successors


class SuccessorPartSerializer(serializers.Serializer):
    name = serializers.CharField()
    code = serializers.CharField(allow_null=True)


class SuccessorSerializer(serializers.Serializer):
    name = serializers.CharField()
    code = serializers.CharField(allow_null=True)
    kind = serializers.ChoiceField(
        choices=[OrgEventKind.ABSORB, OrgEventKind.AMALGAMATE, OrgEventKind.SPLIT]
    )
    parts = SuccessorPartSerializer(
        many=True, help_text="Chia tách: các tổ chức mới (name, code của tổ chức đầu tiên)."
    )


class OrganizationSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    sector_label = serializers.CharField(
        source="get_sector_display", read_only=True, help_text="Loại hình (rỗng: chưa ghi)."
    )
    parent_code = serializers.CharField(source="parent.code", read_only=True, default=None)
    former_code = serializers.SerializerMethodField(
        help_text="Mã cũ khớp với tham số tìm kiếm q (tổ chức được tìm thấy theo mã nó có trước "
        "khi sửa mã); null khi tìm theo tên hoặc mã hiện tại."
    )
    successor = serializers.SerializerMethodField(
        help_text="Tổ chức đã kết thúc do sáp nhập (sap_nhap) hoặc hợp nhất (hop_nhat): tổ chức "
        "tiếp nhận, code null khi nằm ngoài phạm vi của bạn; null với tổ chức khác."
    )
    version = serializers.SerializerMethodField(
        help_text="Phiên bản đã đọc, bằng ETag: gửi lại khi sửa chính tổ chức này (trường version "
        "hoặc tiêu đề If-Match). Phiên bản gắn với tổ chức đã đọc: gửi cho tổ chức khác bị từ "
        "chối (412)."
    )

    class Meta:
        model = Organization
        fields = [
            "code",
            "name",
            "kind",
            "kind_label",
            "sector",
            "sector_label",
            "parent_code",
            "depth",
            "founded_on",
            "ended_on",
            "former_code",
            "successor",
            "version",
        ]

    def get_former_code(self, org) -> str | None:
        return getattr(org, "former_code", None)

    @extend_schema_field(SuccessorSerializer(allow_null=True))
    def get_successor(self, org) -> dict | None:
        """What an ended organisation became; a list hands them in its context (one query)."""
        if org.ended_on is None:
            return None
        found = self.context.get("successors")
        if found is None:
            found = successors(self.context["request"].user, [org])
        successor = found.get(org.pk)
        if successor is None:
            return None
        parts = [{"name": part.name, "code": part.code or None} for part in successor.parts]
        return {
            "name": successor.ref.name,
            "code": successor.ref.code or None,
            "kind": successor.kind,
            "parts": parts,
        }

    def get_version(self, org) -> str:
        """The token of the version read (core/versions.py); a list hands them in its context,
        read in one query."""
        return self.context.get("versions", {}).get(org.pk) or versions.token(org)


class DecisionSerializer(serializers.Serializer):
    effective_on = serializers.DateField(required=False, allow_null=True)
    decision_number = serializers.CharField(required=False, allow_blank=True, default="")
    decision_body = serializers.CharField(required=False, allow_blank=True, default="")
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class CreateOrganizationSerializer(DecisionSerializer):
    code = serializers.CharField(max_length=40)
    name = serializers.CharField(max_length=255)
    kind = serializers.ChoiceField(choices=OrgKind.choices)
    sector = serializers.ChoiceField(
        choices=Sector.choices,
        required=False,
        allow_blank=True,
        default="",
        help_text="Loại hình (mã, ví dụ xa, phuong, doanh_nghiep_tu_nhan); để trống: chưa ghi.",
    )
    parent_code = serializers.CharField(required=False, allow_null=True, allow_blank=True)


class VersionedSerializer(DecisionSerializer):
    """An edit of a record carries the version it read (or the If-Match header its ETag)."""

    version = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=versions.TOKEN_MAX,
        help_text="Phiên bản đã đọc (trường version hoặc ETag của GET) của chính tổ chức này, bắt "
        "buộc nếu không gửi If-Match (thiếu, hoặc «*»: 428). Nếu tổ chức đã bị sửa sau đó, hoặc "
        "phiên bản được đọc từ một tổ chức khác, yêu cầu bị từ chối với mã 412 và nội dung thay "
        "đổi.",
    )


class RenameSerializer(VersionedSerializer):
    name = serializers.CharField(max_length=255)


class MoveSerializer(VersionedSerializer):
    parent_code = serializers.CharField()


class DissolveSerializer(VersionedSerializer):
    kind = serializers.ChoiceField(
        choices=[(kind, kind.label) for kind in (OrgEventKind.END, OrgEventKind.DISBAND)],
        required=False,
        default=OrgEventKind.END,
        help_text="giai_the (giải thể, mặc định) hoặc giai_tan (giải tán, hình thức kỷ luật).",
    )
    # A dissolution is final: the service refuses it without a reason (restored only with one).
    reason = serializers.CharField(
        max_length=2000,
        help_text="Lý do giải thể (bắt buộc).",
        error_messages={"required": "Hãy ghi lý do giải thể.", "blank": "Hãy ghi lý do giải thể."},
    )


class StaleSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="Ai đã sửa gì, lúc nào, sau khi bạn đọc hồ sơ.")
    version = serializers.CharField(help_text="Phiên bản hiện tại (cũng là ETag).")


class VersionRequiredSerializer(serializers.Serializer):
    detail = serializers.CharField(
        help_text="Yêu cầu sửa không gửi phiên bản đã đọc, hoặc gửi «*» (bất kỳ phiên bản nào)."
    )


class RoleBindingSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=Role.choices)
    organization = serializers.CharField(source="organization.code", default=None)


class MeSerializer(serializers.Serializer):
    username = serializers.CharField()
    full_name = serializers.CharField()
    roles = RoleBindingSerializer(many=True)


class MemberSerializer(serializers.ModelSerializer):
    branch_code = serializers.CharField(source="branch.code", read_only=True)
    branch_name = serializers.CharField(source="branch.name", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        from dangvien.members.models import Member

        model = Member
        fields = [
            "id",
            "code",
            "full_name",
            "gender",
            "birth_date",
            "branch_code",
            "branch_name",
            "status",
            "status_label",
            "admitted_on",
            "official_on",
            "left_on",
            "exempt_since",
            "card_number",
            "citizen_id",
            "ethnicity",
            "religion",
            "place_of_origin",
            "residence",
            "general_education",
            "qualification",
            "political_theory",
        ]
