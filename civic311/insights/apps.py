from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "civic311.insights"
    verbose_name = "Insights (CitiStat)"

    def ready(self) -> None:
        from civic311.insights import rollups  # noqa: F401  (connects the rollup signal handlers)
