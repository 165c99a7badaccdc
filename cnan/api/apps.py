from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "cnan.api"
    label = "api"
    verbose_name = "CNAN API"
