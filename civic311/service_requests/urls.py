from django.urls import path

from civic311.service_requests import views

app_name = "work"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("bulk", views.bulk, name="bulk"),
    path("requests/<int:pk>/", views.detail, name="detail"),
    path("requests/<int:pk>/acknowledge", views.acknowledge, name="acknowledge"),
]
