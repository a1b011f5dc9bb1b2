import django.contrib.postgres.search
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

# SQLite: an external-content FTS5 table over the texts, kept in step by triggers, and a
# vocabulary view of it. PostgreSQL: pg_trgm, a GIN index on the stored vectors and a trigram
# index on titles. Each database gets only its own part.
SQLITE = [
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
]
SQLITE_REVERSE = [
    "DROP TRIGGER knowledge_fts_update",
    "DROP TRIGGER knowledge_fts_delete",
    "DROP TRIGGER knowledge_fts_insert",
    "DROP TABLE knowledge_articletext_fts",
]
POSTGRES = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX knowledge_text_vector_gin ON knowledge_articletext USING gin (search_vector)",
    "CREATE INDEX knowledge_text_title_trgm ON knowledge_articletext USING gin (lower(title) gin_trgm_ops)",
]
POSTGRES_REVERSE = ["DROP INDEX knowledge_text_title_trgm", "DROP INDEX knowledge_text_vector_gin"]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("catalog", "0004_routing_rules"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Article",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("slug", models.SlugField(max_length=120, unique=True)),
                ("audience", models.CharField(choices=[("public", "Public"), ("internal", "CSRs only")], default="public", max_length=10)),
                ("review_by", models.DateField(blank=True, help_text="When the owner should check it is still true.", null=True)),
                ("is_published", models.BooleanField(default=True)),
                ("updated_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("department", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="articles", to="catalog.department")),
                ("owner", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, to=settings.AUTH_USER_MODEL)),
                ("service_types", models.ManyToManyField(blank=True, related_name="articles", to="catalog.servicetype")),
            ],
            options={"ordering": ["slug"]},
        ),
        migrations.CreateModel(
            name="ArticleText",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("language", models.CharField(choices=[("en", "English"), ("es", "Español")], default="en", max_length=2)),
                ("title", models.CharField(help_text="The question, as a caller would ask it.", max_length=300)),
                ("answer", models.TextField(help_text="Where to go, what to bring, what it costs, hours.")),
                ("keywords", models.CharField(blank=True, help_text="Other words callers use (synonyms).", max_length=500)),
                ("search_vector", django.contrib.postgres.search.SearchVectorField(editable=False, null=True)),
                ("article", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="texts", to="knowledge.article")),
            ],
            options={
                "ordering": ["article", "language"],
                "constraints": [models.UniqueConstraint(fields=("article", "language"), name="one_text_per_language")],
            },
        ),
        migrations.CreateModel(
            name="ArticleView",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("language", models.CharField(choices=[("en", "English"), ("es", "Español")], max_length=2)),
                ("channel", models.CharField(choices=[("console", "CSR console"), ("web", "Web"), ("api", "API")], max_length=10)),
                ("at", models.DateTimeField(default=django.utils.timezone.now)),
                ("article", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="views", to="knowledge.article")),
            ],
            options={"indexes": [models.Index(fields=["at", "article"], name="article_view_at_idx")]},
        ),
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRES}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE}),
        ),
    ]
