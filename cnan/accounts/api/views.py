from cnan.core.api.viewsets import ScopedReadOnlyViewSet

from ..filters import UserFilterSet
from ..models import User
from ..selectors import user_list
from .serializers import UserSerializer


class UserViewSet(ScopedReadOnlyViewSet):
    """People who may sign in, with their current roles (read only; managed in the portal)."""

    queryset = User.objects.none()
    list_selector = user_list
    serializer_class = UserSerializer
    filterset_class = UserFilterSet
