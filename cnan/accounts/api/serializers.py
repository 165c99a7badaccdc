from rest_framework import serializers

from ..models import Membership, User


class MembershipSerializer(serializers.ModelSerializer):
    role = serializers.SlugRelatedField(slug_field="code", read_only=True)
    organization_code = serializers.CharField(source="organization.code", read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "organization", "organization_code", "role", "valid_from", "valid_to"]
        read_only_fields = fields


class UserSerializer(serializers.ModelSerializer):
    memberships = MembershipSerializer(source="current_memberships", many=True, read_only=True)

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "full_name",
            "email",
            "position",
            "clearance",
            "language",
            "is_active",
            "last_login",
            "date_joined",
            "memberships",
        ]
        read_only_fields = fields
