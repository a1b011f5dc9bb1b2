"""SQLite behaves the same however it is named, and no transaction is refused a lock upgrade."""

import threading

import pytest
from django.db import OperationalError, connections, transaction

from civic311.lib.databases import database_settings, sqlite_database
from civic311.lib.sqlite.base import DatabaseWrapper


def test_sqlite_named_by_url_gets_exactly_the_default_settings(tmp_path):
    path = tmp_path / "city.sqlite3"
    default = database_settings("", default_sqlite_path=path, conn_max_age=60)
    by_url = database_settings(f"sqlite:///{path}", default_sqlite_path=tmp_path / "other", conn_max_age=60)
    assert by_url == default == sqlite_database(path)
    assert default["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in default["OPTIONS"]["init_command"]


def test_a_database_server_url_is_read_as_given():
    parsed = database_settings("postgres://civic311@db.internal:5432/city", default_sqlite_path=None, conn_max_age=30)
    assert (parsed["ENGINE"], parsed["NAME"], parsed["CONN_MAX_AGE"]) == ("django.db.backends.postgresql", "city", 30)


@pytest.mark.parametrize("url", ["sqlite://", "sqlite://:memory:"])
def test_a_sqlite_url_without_a_file_is_refused(url):
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured, match="names no SQLite file"):
        database_settings(url, default_sqlite_path=None, conn_max_age=0)


def _open(alias, path):
    # Django fills in the keys a settings file may leave out (it insists on a "default" too).
    settings_dict = connections.configure_settings({"default": sqlite_database(path)})["default"]
    wrapper = DatabaseWrapper(settings_dict, alias=alias)
    connections[alias] = wrapper
    return wrapper


@pytest.mark.parametrize("autocommit", [True, False], ids=["atomic", "autocommit switched off"])
def test_a_read_then_write_transaction_waits_for_a_writer_instead_of_failing(tmp_path, autocommit, django_db_blocker):
    """Reader-writer A reads, B writes and commits meanwhile, then A writes: A must not be refused."""
    with django_db_blocker.unblock():  # connections of its own to a file of its own, not the test database
        _read_then_write(tmp_path / "locks.sqlite3", autocommit)


def _read_then_write(path, autocommit):
    a = _open("reader_writer", path)
    try:
        with a.cursor() as cursor:
            cursor.execute("CREATE TABLE counter (n INTEGER)")
            cursor.execute("INSERT INTO counter VALUES (0)")
        errors = []

        def other_writer():
            b = _open("other_writer", path)
            try:
                with transaction.atomic(using="other_writer"), b.cursor() as cursor:
                    cursor.execute("UPDATE counter SET n = n + 10")
            except OperationalError as error:  # pragma: no cover (reported below)
                errors.append(error)
            finally:
                b.close()

        if not autocommit:
            transaction.set_autocommit(False, using="reader_writer")
        with transaction.atomic(using="reader_writer"):
            with a.cursor() as cursor:
                cursor.execute("SELECT n FROM counter")
                seen = cursor.fetchone()[0]
            writer = threading.Thread(target=other_writer)
            writer.start()
            writer.join(timeout=0.5)  # B waits for A's write lock (or, if A held none, commits)
            with a.cursor() as cursor:
                cursor.execute("UPDATE counter SET n = ?", [seen + 1])
        if not autocommit:
            transaction.commit(using="reader_writer")
            transaction.set_autocommit(True, using="reader_writer")
        writer.join(timeout=30)
        assert errors == []
        with a.cursor() as cursor:
            cursor.execute("SELECT n FROM counter")
            assert cursor.fetchone()[0] == 11  # A's read-then-write, then B's increment
    finally:
        a.close()
        del connections["reader_writer"]
