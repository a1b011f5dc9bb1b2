from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from civic311.knowledge.actions import refresh_search
from civic311.knowledge.models import Article, ArticleText


class ArticleTextInline(admin.StackedInline):
    model = ArticleText
    extra = 0
    max_num = 2
    fields = ["language", "title", "keywords", "answer"]


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["slug", "department", "audience", "is_published", "review_by", "updated_at"]
    list_filter = ["audience", "is_published", "department"]
    search_fields = ["slug", "texts__title", "texts__keywords"]
    filter_horizontal = ["service_types"]
    readonly_fields = ["updated_at"]
    inlines = [ArticleTextInline]

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        super().save_formset(request, form, formset, change)
        for text in formset.queryset.model.objects.filter(article=form.instance):
            refresh_search(text)  # keeps PostgreSQL's search vectors current after an edit
