"""Alembic environment: runs against the engine handed over by `questionnaire db ...`."""

from alembic import context

from questionnaire.models import metadata

config = context.config
engine = config.attributes["engine"]

with engine.connect() as connection:
    is_sqlite = connection.dialect.name == "sqlite"
    if is_sqlite:
        # SQLite alters tables by copying them ("batch" mode); with foreign keys enforced, the
        # copy cannot drop a table that other rows refer to. They are checked again after.
        connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=is_sqlite,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
    if is_sqlite:
        problems = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
        connection.exec_driver_sql("PRAGMA foreign_keys=ON")
        if problems:
            raise RuntimeError(f"foreign keys broken by the migration: {problems[:5]}")
