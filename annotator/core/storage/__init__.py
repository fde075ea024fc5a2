"""SQLite storage: ORM tables, engine and pragmas, locking, migrations, backups."""
