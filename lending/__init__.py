"""Application factory."""

import os

from flask import Flask

from config import INSTANCE_DIR, get_config


def create_app(config_name: str | None = None, **overrides) -> Flask:
    app = Flask(
        __name__,
        instance_path=str(INSTANCE_DIR),
        template_folder="../templates",
        static_folder="../static",
    )
    # The default SQLite database lives in the instance folder (as flaskr does).
    os.makedirs(app.instance_path, exist_ok=True)
    config = get_config(config_name)
    app.config.from_object(config)
    app.config.update(overrides)

    from lending.errors import register_errorhandlers
    from lending.setup import register_blueprints, register_cli, register_extensions

    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_cli(app)
    return app
