from django.urls import path

from civic311.insights import views

app_name = "insights"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("requests", views.drilldown, name="drilldown"),
]
