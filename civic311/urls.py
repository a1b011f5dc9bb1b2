from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import include, path, re_path, reverse
from django.views.static import serve

from civic311.notifications.accounts import OutboxPasswordResetForm


def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness for load balancers; also the bare-view baseline the benchmark compares against."""
    return HttpResponse("ok", content_type="text/plain")


@login_required
def staff_home(request: HttpRequest) -> HttpResponse:
    """Where staff land after logging in: CSRs at the console, everyone else at the work queue."""
    user = request.user
    if user.has_perm("contacts.use_console") and not user.has_perm("service_requests.view_insights"):
        return HttpResponseRedirect(reverse("console:home"))
    return HttpResponseRedirect(reverse("work:queue"))


urlpatterns = [
    path("staff/", staff_home, name="staff_home"),
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    # The reset email goes through the outbox (civic311.notifications.accounts); the rest is Django's.
    path(
        "accounts/password_reset/",
        auth_views.PasswordResetView.as_view(form_class=OutboxPasswordResetForm),
        name="password_reset",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("console/", include("civic311.contacts.urls")),
    path("work/", include("civic311.service_requests.urls")),
    path("insights/", include("civic311.insights.urls")),
    path("open311/v2/", include("civic311.open311.urls")),
    path("notifications/", include("civic311.notifications.urls")),
    path("api/v1/kb/", include("civic311.knowledge.urls")),
    # Residents' photos from the default file storage; a city that stores them elsewhere (object
    # storage) serves them from there and this route finds nothing.
    re_path(r"^media/(?P<path>photos/.+)$", serve, {"document_root": settings.MEDIA_ROOT}),
    path("", include("civic311.portal.urls")),
]
