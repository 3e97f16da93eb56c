"""WSGI entry point: ``gunicorn tinnhiem.config.wsgi``."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tinnhiem.config.settings")
application = get_wsgi_application()

# Everything loaded so far (Django, the app, its templates' modules) lives as
# long as the process: move it out of the collector's reach, so that a full
# collection during a request no longer walks it (bench/RESULTS.md: 75-120 ms
# per full pass otherwise).
gc.collect()
gc.freeze()
