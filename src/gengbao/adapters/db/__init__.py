"""Database adapter: SQLAlchemy 2 models, engine creation and Alembic migrations."""
