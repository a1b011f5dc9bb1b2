from django.urls import path

from civic311.contacts import stats_views, views

app_name = "console"
urlpatterns = [
    path("", views.home, name="home"),
    path("start", views.start, name="start"),
    path("contacts/<int:pk>/", views.contact, name="contact"),
    path("contacts/<int:pk>/kb", views.kb_results, name="kb"),
    path("contacts/<int:pk>/kb/<slug:slug>", views.article, name="article"),
    path("contacts/<int:pk>/request", views.request_panel, name="request"),
    path("contacts/<int:pk>/lookup", views.lookup, name="lookup"),
    path("contacts/<int:pk>/join", views.join, name="join"),
    path("contacts/<int:pk>/caller", views.caller, name="caller"),
    path("contacts/<int:pk>/transfer", views.transfer, name="transfer"),
    path("contacts/<int:pk>/wrap-up", views.wrap_up, name="wrap_up"),
    path("stats/", stats_views.call_stats, name="stats"),
]
