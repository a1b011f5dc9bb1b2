from django.urls import path

from civic311.notifications import views

app_name = "notifications"
urlpatterns = [
    path("unsubscribe/<str:token>", views.unsubscribe, name="unsubscribe"),
    path("follow/<str:token>", views.confirm_follow, name="confirm_follow"),
]
