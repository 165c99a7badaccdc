from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "cnan.common"
    label = "common"
    verbose_name = "CNAN common"
