from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("organizations", views.OrganizationViewSet, basename="organization")
router.register("enterprises", views.EnterpriseViewSet, basename="enterprise")
router.register("facilities", views.FacilityViewSet, basename="facility")
router.register("parks", views.IndustrialParkViewSet, basename="industrialpark")
router.register("complex-memberships", views.ComplexMembershipViewSet, basename="complexmembership")
router.register("restructuring-events", views.RestructuringEventViewSet, basename="restructuringevent")
router.register("product-groups", views.ProductGroupViewSet, basename="productgroup")
urlpatterns = router.urls
