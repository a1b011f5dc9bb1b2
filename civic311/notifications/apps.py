from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "civic311.notifications"
    verbose_name = "Notifications"
