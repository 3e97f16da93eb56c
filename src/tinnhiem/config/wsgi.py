"""WSGI entry point: ``gunicorn tinnhiem.config.wsgi``."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tinnhiem.config.settings")
application = get_wsgi_application()
