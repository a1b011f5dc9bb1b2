from django.urls import path

from civic311.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("faq/", views.faq, name="faq"),
    path("faq/<slug:slug>/", views.article, name="article"),
    path("request/", views.services, name="services"),
    path("request/<str:code>/", views.request_form, name="request"),
    path("request/<str:code>/nearby", views.nearby, name="nearby"),
    path("track/", views.track_form, name="track_form"),
    path("track/<str:number>/", views.track, name="track"),
    path("track/<str:number>/follow", views.follow, name="follow"),
    path("requests/", views.recent, name="recent"),
]
