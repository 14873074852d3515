"""WSGI entry point. Never starts the scheduler (see `flask lending scheduler`)."""

from lending import create_app

app = create_app()
