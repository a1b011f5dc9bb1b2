"""Django's SQLite backend with one change: no transaction ever begins DEFERRED.

SQLite refuses at once ("database is locked", whatever the busy timeout) a transaction that read
first and then wants to write when another connection wrote in between: its snapshot is stale and
the read lock cannot be upgraded. A transaction that takes the write lock at BEGIN (IMMEDIATE)
instead waits its turn on the busy timeout. Django's ``transaction_mode`` option covers the
transactions ``atomic()`` begins itself, but two other ways in still begin DEFERRED:

- a connection switched out of autocommit (``transaction.set_autocommit(False)``) lets Python's
  ``sqlite3`` module begin transactions, and it begins them DEFERRED;
- on such a connection ``atomic()`` only sets a SAVEPOINT, and a SAVEPOINT outside a transaction
  begins a DEFERRED one.

Both begin with the configured mode here, so every transaction queues for the write lock at its start.
"""

from __future__ import annotations

from django.db.backends.sqlite3 import base


class DatabaseWrapper(base.DatabaseWrapper):
    transaction_mode: str | None  # set by get_connection_params(); django-stubs leave it out

    def _set_autocommit(self, autocommit: bool) -> None:
        if autocommit or self.transaction_mode is None:
            super()._set_autocommit(autocommit)  # type: ignore[misc]  # private hook, not in the stubs
            return
        with self.wrap_database_errors:
            # sqlite3 then begins each implicit transaction with "BEGIN IMMEDIATE".
            self.connection.isolation_level = self.transaction_mode

    def _savepoint(self, sid: str) -> None:
        if self.transaction_mode is not None and not self.connection.in_transaction:
            with self.cursor() as cursor:
                cursor.execute(f"BEGIN {self.transaction_mode}")
        super()._savepoint(sid)  # type: ignore[misc]  # private hook, not in the stubs
