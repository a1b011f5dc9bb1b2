from django.apps import AppConfig


class ServiceRequestsConfig(AppConfig):
    name = "civic311.service_requests"
    verbose_name = "Service requests"

    def ready(self) -> None:
        from django.contrib.auth import get_user_model
        from django.db.models.signals import m2m_changed

        from civic311.service_requests.roles import on_groups_changed

        m2m_changed.connect(
            on_groups_changed, sender=get_user_model().groups.through, dispatch_uid="civic311_admin_role_staff"
        )
