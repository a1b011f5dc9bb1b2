from django.apps import AppConfig


class GeoConfig(AppConfig):
    name = "civic311.geo"
    verbose_name = "Geography"
