from ..filters import ObjectChangeFilterSet
from ..models import ObjectChange
from ..selectors import objectchange_list
from .pagination import NewestFirstPagination
from .serializers import ObjectChangeSerializer
from .viewsets import ScopedReadOnlyViewSet


class ObjectChangeViewSet(ScopedReadOnlyViewSet):
    """The audit log: every change record the user may see (``core.view_objectchange``, scoped)."""

    queryset = ObjectChange.objects.none()
    list_selector = objectchange_list
    serializer_class = ObjectChangeSerializer
    filterset_class = ObjectChangeFilterSet
    pagination_class = NewestFirstPagination
