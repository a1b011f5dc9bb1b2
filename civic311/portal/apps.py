from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "civic311.portal"
    verbose_name = "Resident portal"
