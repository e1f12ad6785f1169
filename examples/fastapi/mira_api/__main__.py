"""`python -m mira_api`: run the app with uvicorn on $PORT (default 8000)."""

from __future__ import annotations

import logging
import os

import uvicorn

from .config import Settings
from .main import create_app


def main() -> None:
    logging.basicConfig(level=os.environ.get("LOG_LEVEL", "INFO").upper(),
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    settings = Settings.from_env()
    host = os.environ.get("HOST", "127.0.0.1")
    uvicorn.run(create_app(settings), host=host, port=settings.port, log_level="info")


if __name__ == "__main__":
    main()
