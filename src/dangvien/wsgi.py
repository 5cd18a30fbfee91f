"""WSGI entry point for gunicorn or any other WSGI server: `gunicorn dangvien.wsgi`."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangvien.settings")
application = get_wsgi_application()

# What start-up built (modules, settings, URL patterns) lives as long as the worker. Frozen,
# it is left out of the collector's full passes, which otherwise walked all of it every few
# requests: 60–75 ms added to one member-list request in ten (bench/list_search.py, 6M).
gc.freeze()
