"""agent-mira served by FastAPI on PostgreSQL (examples/fastapi)."""

from .main import create_app

__all__ = ["create_app"]
