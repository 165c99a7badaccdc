from rest_framework.routers import SimpleRouter

from .views import ObjectChangeViewSet

router = SimpleRouter()
router.register("audit/changes", ObjectChangeViewSet, basename="objectchange")
urlpatterns = router.urls
