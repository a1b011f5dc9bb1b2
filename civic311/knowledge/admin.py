from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import admin
from django.db.models import F, Q, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import slugify

from civic311.knowledge.actions import check_synonym, refresh_search, save_synonym
from civic311.knowledge.models import Article, ArticleText, SearchLog, Synonym
from civic311.service_requests.validators import SubmissionInvalid


class ArticleTextInline(admin.StackedInline):
    model = ArticleText
    extra = 0
    max_num = 2
    fields = ["language", "title", "keywords", "answer"]

    def get_extra(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> int:
        return 1 if obj is None and request.GET.get("title") else 0


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["slug", "department", "audience", "is_published", "review_by", "updated_at"]
    list_filter = ["audience", "is_published", "department"]
    search_fields = ["slug", "texts__title", "texts__keywords"]
    filter_horizontal = ["service_types"]
    readonly_fields = ["updated_at"]
    inlines = [ArticleTextInline]

    def get_formset_kwargs(self, request: HttpRequest, obj: Any, inline: Any, prefix: str) -> dict[str, Any]:
        """ "Write an article" from a question nobody found an answer to: its text starts as the question."""
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if request.method == "GET" and obj.pk is None and request.GET.get("title"):
            kwargs["initial"] = [{key: request.GET.get(key, "")[:300] for key in ("language", "title", "keywords")}]
        return kwargs

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        super().save_formset(request, form, formset, change)
        for text in formset.queryset.model.objects.filter(article=form.instance):
            refresh_search(text)  # keeps the search terms, counts and vectors current after an edit


class SynonymForm(forms.ModelForm):
    class Meta:
        model = Synonym
        fields = ["language", "phrase", "means"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors:
            try:
                check_synonym(data["language"], data["phrase"], data["means"],
                              synonym=self.instance if self.instance.pk else None)  # fmt: skip
            except SubmissionInvalid as invalid:
                for error in invalid.errors:
                    self.add_error(error.field if error.field in self.fields else None, error.message)
        return data


@admin.register(Synonym)
class SynonymAdmin(admin.ModelAdmin):
    """The city's vocabulary: what residents say, and the words the articles use for it."""

    form = SynonymForm
    list_display = ["phrase", "means", "language", "updated_at"]
    list_filter = ["language"]
    search_fields = ["phrase", "means"]

    def save_model(self, request: HttpRequest, obj: Synonym, form: Any, change: bool) -> None:
        save_synonym(obj.language, obj.phrase, obj.means, synonym=obj if obj.pk else None)


class AnsweredFilter(admin.SimpleListFilter):
    title = "answered"
    parameter_name = "answered"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("all", "All questions asked")]

    def choices(self, changelist: Any) -> Any:
        everything = changelist.get_query_string(remove=[self.parameter_name])
        yield {"selected": self.value() is None, "query_string": everything, "display": "Not answered"}
        yield {"selected": self.value() == "all",
               "query_string": changelist.get_query_string({self.parameter_name: "all"}), "display": "All"}  # fmt: skip

    def queryset(self, request: HttpRequest, queryset: QuerySet[SearchLog]) -> QuerySet[SearchLog]:
        if self.value() == "all":
            return queryset
        return queryset.filter(Q(misses__gt=0) | Q(opened__lt=F("searches")))


@admin.register(SearchLog)
class SearchLogAdmin(admin.ModelAdmin):
    """Questions we could not answer: asked and finding nothing, or answered by no article a reader
    opened. Each row offers to write the article, or to teach search the words it used."""

    list_display = ["phrase", "language", "channel", "searches", "misses", "opened", "last_at", "fix"]
    list_filter = [AnsweredFilter, "language", "channel"]
    search_fields = ["phrase"]
    ordering = ["-misses", "-searches", "-last_at"]
    readonly_fields = ["phrase", "language", "channel", "searches", "misses", "opened", "results", "first_at",
                       "last_at"]  # fmt: skip

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # rows come from searches, not from editors

    def changelist_view(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> Any:
        return super().changelist_view(request, {"title": "Questions we could not answer", **(extra_context or {})})

    @admin.display(description="")
    def fix(self, row: SearchLog) -> str:
        title = row.phrase[:1].upper() + row.phrase[1:]
        article = (
            reverse("admin:knowledge_article_add")
            + "?"
            + urlencode(
                {"slug": slugify(row.phrase)[:120], "language": row.language, "title": title, "keywords": row.phrase}
            )
        )
        synonym = (
            reverse("admin:knowledge_synonym_add")
            + "?"
            + urlencode({"language": row.language, "phrase": row.phrase[:100]})
        )
        return format_html('<a href="{}">Write an article</a> · <a href="{}">Add a synonym</a>', article, synonym)
