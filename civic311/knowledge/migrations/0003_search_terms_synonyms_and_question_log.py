import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models

from civic311.knowledge.terms import MAX_WORD, indexed, words_of

# SQLite: Django's SQLite schema editor rebuilds a table to add a column, which drops its triggers:
# any migration that alters knowledge_articletext must create the FTS triggers again, as this one does.
# The FTS5 table now indexes the texts' terms (already stemmed and without stop words by
# terms.py), so it only splits them on spaces. PostgreSQL: prefix look-ups of terms and words
# (a last word typed so far, the typo fallback's first letter) through pattern-ops indexes.
SQLITE = [
    "DROP TRIGGER IF EXISTS knowledge_fts_update",
    "DROP TRIGGER IF EXISTS knowledge_fts_delete",
    "DROP TRIGGER IF EXISTS knowledge_fts_insert",
    "DROP TABLE IF EXISTS knowledge_articletext_fts",
    """CREATE VIRTUAL TABLE knowledge_articletext_fts USING fts5(
        search_title, search_keywords, search_answer, content='knowledge_articletext', content_rowid='id',
        tokenize='unicode61 remove_diacritics 0')""",
    """CREATE TRIGGER knowledge_fts_insert AFTER INSERT ON knowledge_articletext BEGIN
        INSERT INTO knowledge_articletext_fts(rowid, search_title, search_keywords, search_answer)
        VALUES (new.id, new.search_title, new.search_keywords, new.search_answer); END""",
    """CREATE TRIGGER knowledge_fts_delete AFTER DELETE ON knowledge_articletext BEGIN
        INSERT INTO knowledge_articletext_fts(knowledge_articletext_fts, rowid, search_title, search_keywords,
            search_answer)
        VALUES ('delete', old.id, old.search_title, old.search_keywords, old.search_answer); END""",
    """CREATE TRIGGER knowledge_fts_update AFTER UPDATE ON knowledge_articletext BEGIN
        INSERT INTO knowledge_articletext_fts(knowledge_articletext_fts, rowid, search_title, search_keywords,
            search_answer)
        VALUES ('delete', old.id, old.search_title, old.search_keywords, old.search_answer);
        INSERT INTO knowledge_articletext_fts(rowid, search_title, search_keywords, search_answer)
        VALUES (new.id, new.search_title, new.search_keywords, new.search_answer); END""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS knowledge_fts_update",
    "DROP TRIGGER IF EXISTS knowledge_fts_delete",
    "DROP TRIGGER IF EXISTS knowledge_fts_insert",
    "DROP TABLE IF EXISTS knowledge_articletext_fts",
    """CREATE VIRTUAL TABLE knowledge_articletext_fts USING fts5(
        title, answer, keywords, content='knowledge_articletext', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER knowledge_fts_insert AFTER INSERT ON knowledge_articletext BEGIN
        INSERT INTO knowledge_articletext_fts(rowid, title, answer, keywords)
        VALUES (new.id, new.title, new.answer, new.keywords); END""",
    """CREATE TRIGGER knowledge_fts_delete AFTER DELETE ON knowledge_articletext BEGIN
        INSERT INTO knowledge_articletext_fts(knowledge_articletext_fts, rowid, title, answer, keywords)
        VALUES ('delete', old.id, old.title, old.answer, old.keywords); END""",
    """CREATE TRIGGER knowledge_fts_update AFTER UPDATE ON knowledge_articletext BEGIN
        INSERT INTO knowledge_articletext_fts(knowledge_articletext_fts, rowid, title, answer, keywords)
        VALUES ('delete', old.id, old.title, old.answer, old.keywords);
        INSERT INTO knowledge_articletext_fts(rowid, title, answer, keywords)
        VALUES (new.id, new.title, new.answer, new.keywords); END""",
    "INSERT INTO knowledge_articletext_fts(knowledge_articletext_fts) VALUES ('rebuild')",
]
POSTGRES = [
    "CREATE INDEX knowledge_term_prefix ON knowledge_term (language, term varchar_pattern_ops)",
    "CREATE INDEX knowledge_word_prefix ON knowledge_word (language, word varchar_pattern_ops)",
]
POSTGRES_REVERSE = ["DROP INDEX knowledge_word_prefix", "DROP INDEX knowledge_term_prefix"]
VECTOR_SQL = (
    "setweight(to_tsvector('simple', search_title), 'A') || setweight(to_tsvector('simple', search_keywords), 'B')"
    " || setweight(to_tsvector('simple', search_answer), 'C')"
)
OLD_VECTOR_SQL = """
    setweight(to_tsvector(CASE language WHEN 'es' THEN 'spanish' ELSE 'english' END::regconfig, title), 'A')
    || setweight(to_tsvector(CASE language WHEN 'es' THEN 'spanish' ELSE 'english' END::regconfig, keywords), 'B')
    || setweight(to_tsvector(CASE language WHEN 'es' THEN 'spanish' ELSE 'english' END::regconfig, answer), 'C')
"""


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


def index_texts(apps, schema_editor):
    """Every existing text as terms, its terms counted, its vocabulary without accents."""
    text_model = apps.get_model("knowledge", "ArticleText")
    term_model, word_model = apps.get_model("knowledge", "Term"), apps.get_model("knowledge", "Word")
    for text in text_model.objects.iterator(chunk_size=500):
        fields = {
            "search_title": indexed(text.title, text.language),
            "search_keywords": indexed(text.keywords, text.language),
            "search_answer": indexed(text.answer, text.language),
        }
        text_model.objects.filter(pk=text.pk).update(**fields)
        terms = sorted({t[:MAX_WORD] for value in fields.values() for t in value.split()})
        term_model.objects.bulk_create([term_model(text_id=text.pk, language=text.language, term=t) for t in terms])
        word_model.objects.filter(text_id=text.pk).delete()
        words = sorted(set(words_of(f"{text.title} {text.keywords}")))
        word_model.objects.bulk_create([word_model(text_id=text.pk, language=text.language, word=w) for w in words])
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"UPDATE knowledge_articletext SET search_vector = {VECTOR_SQL}")
    else:
        schema_editor.execute("INSERT INTO knowledge_articletext_fts(knowledge_articletext_fts) VALUES ('rebuild')")


def unindex_texts(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"UPDATE knowledge_articletext SET search_vector = {OLD_VECTOR_SQL}")


class Migration(migrations.Migration):
    dependencies = [
        ("knowledge", "0002_vocabulary"),
    ]

    operations = [
        migrations.AddField(
            model_name="articletext", name="search_title", field=models.TextField(default="", editable=False)
        ),
        migrations.AddField(
            model_name="articletext", name="search_keywords", field=models.TextField(default="", editable=False)
        ),
        migrations.AddField(
            model_name="articletext", name="search_answer", field=models.TextField(default="", editable=False)
        ),
        migrations.AddIndex(
            model_name="articletext",
            index=models.Index(fields=["language"], name="knowledge_text_language_idx"),
        ),
        migrations.CreateModel(
            name="Term",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("language", models.CharField(choices=[("en", "English"), ("es", "Español")], max_length=2)),
                ("term", models.CharField(max_length=40)),
                (
                    "text",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="terms", to="knowledge.articletext"
                    ),
                ),
            ],
            options={
                "indexes": [models.Index(fields=["language", "term"], name="knowledge_term_language_idx")],
                "constraints": [models.UniqueConstraint(fields=("text", "term"), name="knowledge_term_once_per_text")],
            },
        ),
        migrations.CreateModel(
            name="Synonym",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "language",
                    models.CharField(choices=[("en", "English"), ("es", "Español")], default="en", max_length=2),
                ),
                (
                    "phrase",
                    models.CharField(help_text="What residents say, e.g. “pot hole” or “trash”.", max_length=100),
                ),
                (
                    "means",
                    models.CharField(
                        help_text="The words the articles use for it, separated by commas, e.g. “garbage, rubbish”.",
                        max_length=300,
                    ),
                ),
                ("phrase_terms", models.CharField(editable=False, max_length=200)),
                ("updated_at", models.DateTimeField(default=django.utils.timezone.now, editable=False)),
            ],
            options={
                "ordering": ["language", "phrase"],
                "constraints": [
                    models.UniqueConstraint(fields=("language", "phrase_terms"), name="knowledge_synonym_once")
                ],
            },
        ),
        migrations.CreateModel(
            name="SearchLog",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("phrase", models.CharField(help_text="The question, lower-cased, spaces tidied.", max_length=200)),
                ("language", models.CharField(choices=[("en", "English"), ("es", "Español")], max_length=2)),
                (
                    "channel",
                    models.CharField(
                        choices=[("console", "CSR console"), ("web", "Web"), ("api", "API"), ("phone", "Phone line")],
                        max_length=10,
                    ),
                ),
                ("searches", models.PositiveIntegerField(default=0, help_text="Times asked.")),
                ("misses", models.PositiveIntegerField(default=0, help_text="Times it found no article.")),
                (
                    "opened",
                    models.PositiveIntegerField(default=0, help_text="Times a reader opened one of its answers."),
                ),
                ("results", models.PositiveIntegerField(default=0, help_text="Articles found the last time.")),
                ("first_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("last_at", models.DateTimeField(default=django.utils.timezone.now)),
            ],
            options={
                "verbose_name": "question asked",
                "verbose_name_plural": "questions asked",
                "indexes": [models.Index(fields=["opened", "-last_at"], name="knowledge_searchlog_open_idx")],
                "constraints": [
                    models.UniqueConstraint(fields=("phrase", "language", "channel"), name="knowledge_searchlog_once")
                ],
            },
        ),
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRES}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE}),
        ),
        migrations.RunPython(index_texts, unindex_texts),
    ]
