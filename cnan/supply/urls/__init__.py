"""The supply pages, one module per area: demand (plans, lines, capacity, imported purchases), orders
(production orders, deliveries, acceptance, feedback), allocation (matching and the optimiser) and the
self-reliance dashboard."""

from . import allocation, dashboard, demand, orders

app_name = "supply"

urlpatterns = [*dashboard.urlpatterns, *demand.urlpatterns, *orders.urlpatterns, *allocation.urlpatterns]
