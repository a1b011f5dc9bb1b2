"""Showing an article: its answer as safe HTML, in the reader's language or clearly in another."""

from __future__ import annotations

from dataclasses import dataclass

import markdown
import nh3

from civic311.knowledge.models import Article, ArticleText

# Answers are Markdown written by staff; what reaches a page is only this much HTML, with links
# limited to web, mail and phone addresses, so a pasted script or style never runs.
TAGS = {"p", "br", "strong", "em", "ul", "ol", "li", "a", "h3", "h4", "table", "thead", "tbody", "tr", "th", "td",
        "code", "blockquote", "hr"}  # fmt: skip


def answer_html(answer: str) -> str:
    """The answer's Markdown as sanitised HTML."""
    html = markdown.markdown(answer, extensions=["tables", "sane_lists"], output_format="html")
    return nh3.clean(
        html, tags=TAGS, attributes={"a": {"href", "title"}, "th": {"align"}, "td": {"align"}},
        url_schemes={"http", "https", "mailto", "tel"}, link_rel="noopener noreferrer",
    )  # fmt: skip


@dataclass(frozen=True)
class Shown:
    text: ArticleText
    requested_language: str

    @property
    def is_fallback(self) -> bool:
        """The reader asked for a language this article is not written in yet."""
        return self.text.language != self.requested_language

    @property
    def html(self) -> str:
        return answer_html(self.text.answer)


def text_for(article: Article, language: str) -> Shown | None:
    """The article in ``language``, else in another language it has (English first); None if it has none."""
    texts = {t.language: t for t in article.texts.all()}
    chosen = texts.get(language) or texts.get("en") or next(iter(texts.values()), None)
    return Shown(chosen, language) if chosen else None
