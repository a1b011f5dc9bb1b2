from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "civic311.notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        from civic311.notifications import residents  # noqa: F401  (connects the resident email handler)
