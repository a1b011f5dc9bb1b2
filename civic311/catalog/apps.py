from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "civic311.catalog"
    verbose_name = "Service catalog"

    def ready(self) -> None:
        from civic311.lib import checks  # noqa: F401  (registers the system checks)
