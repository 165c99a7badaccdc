from rest_framework import serializers

from ..models import ObjectChange


class ObjectChangeSerializer(serializers.ModelSerializer):
    object_type = serializers.SerializerMethodField()

    class Meta:
        model = ObjectChange
        fields = [
            "id",
            "time",
            "actor",
            "actor_name",
            "request_id",
            "source",
            "organization",
            "object_type",
            "object_id",
            "object_repr",
            "action",
            "classification",
            "before",
            "after",
            "changed_fields",
        ]
        read_only_fields = fields

    def get_object_type(self, obj: ObjectChange) -> str:
        return f"{obj.content_type.app_label}.{obj.content_type.model}"
