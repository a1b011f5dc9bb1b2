from django.urls import path

from civic311.knowledge import api

app_name = "knowledge_api"
urlpatterns = [
    path("articles.json", api.articles, name="articles"),
    path("articles/<slug:slug>.json", api.article, name="article"),
]
