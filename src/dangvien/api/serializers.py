from rest_framework import serializers

from dangvien.accounts.roles import Role
from dangvien.organizations.models import Organization, OrgKind


class OrganizationSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    parent_code = serializers.CharField(source="parent.code", read_only=True, default=None)

    class Meta:
        model = Organization
        fields = [
            "code",
            "name",
            "kind",
            "kind_label",
            "parent_code",
            "depth",
            "founded_on",
            "ended_on",
        ]


class DecisionSerializer(serializers.Serializer):
    effective_on = serializers.DateField(required=False, allow_null=True)
    decision_number = serializers.CharField(required=False, allow_blank=True, default="")
    decision_body = serializers.CharField(required=False, allow_blank=True, default="")
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class CreateOrganizationSerializer(DecisionSerializer):
    code = serializers.CharField(max_length=40)
    name = serializers.CharField(max_length=255)
    kind = serializers.ChoiceField(choices=OrgKind.choices)
    parent_code = serializers.CharField(required=False, allow_null=True, allow_blank=True)


class RenameSerializer(DecisionSerializer):
    name = serializers.CharField(max_length=255)


class MoveSerializer(DecisionSerializer):
    parent_code = serializers.CharField()


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
