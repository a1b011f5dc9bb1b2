from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.urls import include, path


def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness for load balancers; also the bare-view baseline the benchmark compares against."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("work/", include("civic311.service_requests.urls")),
    path("insights/", include("civic311.insights.urls")),
    path("open311/v2/", include("civic311.open311.urls")),
]
