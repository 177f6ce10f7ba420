"""The HTTP API and web UI: `create_app(store, settings)` builds the FastAPI application."""

from sitroom.api.app import create_app
from sitroom.config import ApiSettings

__all__ = ["ApiSettings", "create_app"]
