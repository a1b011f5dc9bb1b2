from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Running civic311: the demo, the production server, the sample city. No models."""

    name = "civic311.ops"
    verbose_name = "Operations"
