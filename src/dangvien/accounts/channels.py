"""Which door a request came through: the REST API (everything under API_PREFIX) or the web
pages. The middlewares answer API clients with JSON instead of a redirect, and the audit files
each sign-in under its channel."""

API_PREFIX = "/api/"


def is_api(request) -> bool:
    return (getattr(request, "path", "") or "").startswith(API_PREFIX)


def channel(request) -> str:
    return "api" if is_api(request) else "web"
