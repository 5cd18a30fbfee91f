"""WSGI entry point for gunicorn or any other WSGI server: `gunicorn dangvien.wsgi`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangvien.settings")
application = get_wsgi_application()
