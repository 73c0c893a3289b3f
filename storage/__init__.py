"""Persistence: database engines, transactions, the repository, migrations and reports."""

from storage.db import Database, database_url, open_database
from storage.store import SqlStore

__all__ = ["Database", "SqlStore", "database_url", "open_database"]
