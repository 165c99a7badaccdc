from django.urls import path

from ..views import orders as views

urlpatterns = [
    # production orders
    path("orders/", views.OrderListView.as_view(), name="order_list"),
    path("orders/add/", views.OrderAddView.as_view(), name="order_add"),
    path("orders/<int:pk>/", views.OrderDetailView.as_view(), name="order_detail"),
    path("orders/<int:pk>/cancel/", views.OrderCancelView.as_view(), name="order_cancel"),
    path("orders/<int:pk>/history/", views.OrderHistoryView.as_view(), name="productionorder_history"),
    # deliveries, their acceptance and the using unit's feedback
    path("orders/<int:pk>/deliveries/add/", views.DeliveryAddView.as_view(), name="delivery_add"),
    path("deliveries/", views.DeliveryListView.as_view(), name="delivery_list"),
    path("deliveries/<int:pk>/accept/", views.DeliveryAcceptView.as_view(), name="delivery_accept"),
    path("deliveries/<int:pk>/feedback/", views.FeedbackAddView.as_view(), name="feedback_add"),
    path("feedback/", views.FeedbackListView.as_view(), name="feedback_list"),
]
