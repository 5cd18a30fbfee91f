"""Walk every URL of the project with every role and prove the scope holds.

The URL list comes from the resolver, so a URL added later is walked without touching this file.
A URL whose parameters have no sample below makes the test fail, asking for one: a new kind of
object must say what is inside and what is outside a user's scope.

For each role and URL:
- GET inside the scope never fails (no 5xx) and never shows an outside organisation or user;
- GET and POST naming an outside object are refused (403/404/405 or the login page) and change
  nothing in the database;
- a read-only role (inspector, member) changes nothing by POST, even inside its scope;
- an anonymous visitor is sent to the login page (web) or refused (API) everywhere but login;
- no page shows a denouncer's name to any of these roles, the administrator included: only the
  inspection committee handling the letter sees it (tests/inspections/test_denunciations.py).
"""

import importlib
import io
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from openpyxl import load_workbook

from dangvien.accounts.models import RoleBinding, User
from dangvien.core import versions
from dangvien.core.models import AuditEntry, ImportUpload
from dangvien.core.roles import Role
from dangvien.organizations.models import Organization
from tests.conftest import OUTSIDE_MARK, World
from tests.inspections.scope_samples import DENOUNCER
from tests.tools import require_program

# URLs anyone may open without signing in (the import templates and the API schema need a
# signed-in user: they describe every field the system keeps).
PUBLIC = {"login"}
# URLs every signed-in user may POST to (their own session and password).
OWN_ACCOUNT = {"login", "logout", "password_change"}
READ_ONLY_ROLES = {Role.INSPECTOR, Role.MEMBER}
REFUSED = {403, 404, 405}


@dataclass(frozen=True)
class Route:
    name: str
    params: tuple[str, ...]


def _walk(patterns, namespace: str = ""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _walk(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern):
            assert pattern.name, f"URL {pattern.pattern} has no name; name every URL"
            yield Route(f"{namespace}{pattern.name}", tuple(pattern.pattern.regex.groupindex))


def all_routes() -> list[Route]:
    return sorted(set(_walk(get_resolver().url_patterns)), key=lambda r: r.name)


def _samples(world: World) -> dict[str, dict[str, tuple]]:
    """(inside, outside) value of each URL parameter, by URL name, then '*' for any URL."""
    officer_outside = world.users["outside_officer"]
    own_upload = ImportUpload.objects.create(
        uploaded_by=world.users[Role.OFFICER], kind="orgs", filename="a.csv"
    )
    foreign_upload = ImportUpload.objects.create(
        uploaded_by=officer_outside, kind="orgs", filename="b.csv"
    )
    secretary_binding = RoleBinding.objects.get(user=world.users[Role.SECRETARY])
    outside_binding = RoleBinding.objects.get(user=officer_outside)
    samples = {
        "*": {
            "code": (world.branch.code, world.outside_branch.code),
            "kind": ("orgs", "orgs"),
            "extension": ("xlsx", "xlsx"),
        },
        "accounts:user": {"pk": (world.users[Role.SECRETARY].pk, officer_outside.pk)},
        "accounts:revoke": {"pk": (secretary_binding.pk, outside_binding.pk)},
        "accounts:two-factor-reset": {"pk": (world.users[Role.SECRETARY].pk, officer_outside.pk)},
        "core:import-preview": {"pk": (own_upload.pk, foreign_upload.pk)},
        "core:import-confirm": {"pk": (own_upload.pk, foreign_upload.pk)},
        "core:import-errors": {"pk": (own_upload.pk, foreign_upload.pk)},
    }
    # Each area adds the samples of its own URLs in tests/<area>/scope_samples.py.
    for module in SAMPLE_MODULES:
        samples.update(importlib.import_module(module).scope_samples(world))
    return samples


SAMPLE_MODULES = sorted(
    "tests." + ".".join(path.relative_to(Path(__file__).parent).with_suffix("").parts)
    for path in Path(__file__).parent.glob("*/scope_samples.py")
)


def _post_data(world: World, route: str, outside: bool) -> dict:
    """A POST that would change something if the scope let it through."""
    target_parent = world.outside_base if outside else world.base
    target_upper = world.outside_upper if outside else world.upper
    version = versions.token(world.outside_branch if outside else world.branch)
    payloads = {
        "organizations:create": {
            "parent_code": target_parent.code,
            "code": "NEW-1",
            "name": "Chi bộ Mới",
            "kind": "chi_bo_truc_thuoc",
        },
        "organizations:rename": {"name": "Tên đã bị đổi"},
        "organizations:move": {"parent_code": target_parent.code},
        "organizations:dissolve": {"effective_on": "01/01/2025"},
        "accounts:create": {
            "username": "moi",
            "full_name": "Người Mới",
            "password": "Mat-khau-dai-2026",
            "role": Role.SECRETARY,
            "organization_code": target_parent.code,
        },
        "accounts:user": {"role": Role.INSPECTOR, "organization_code": target_upper.code},
        "api:organization-list": {
            "code": "NEW-2",
            "name": "Chi bộ Mới 2",
            "kind": "chi_bo_truc_thuoc",
            "parent_code": target_parent.code,
        },
        # The record's current version: the edit can only be refused by the scope.
        "api:organization-rename": {"name": "Tên đã bị đổi", "version": version},
        "api:organization-move": {"parent_code": target_parent.code, "version": version},
        "api:organization-dissolve": {"effective_on": "2025-01-01", "version": version},
    }
    for module in SAMPLE_MODULES:
        sample_module = importlib.import_module(module)
        if hasattr(sample_module, "post_samples"):
            payloads.update(sample_module.post_samples(world, outside))
    return payloads.get(route, {})


def _state() -> tuple:
    """Everything a POST could change, to compare before and after."""
    return (
        list(
            Organization.unscoped.order_by("pk").values_list(
                "pk", "code", "name", "kind", "parent_id", "path", "ended_on"
            )
        ),
        list(
            RoleBinding.objects.order_by("pk").values_list(
                "pk", "role", "organization_id", "active"
            )
        ),
        list(User.objects.order_by("pk").values_list("pk", "username", "password")),
        AuditEntry.unscoped.count(),
    )


def _url(route: Route, samples: dict, outside: bool) -> str:
    kwargs = {}
    for param in route.params:
        sample = samples.get(route.name, {}).get(param) or samples["*"].get(param)
        assert sample, (
            f"URL {route.name} takes '{param}' but tests/test_scope_walk.py has no inside/outside "
            "sample for it: add one to _samples()"
        )
        kwargs[param] = sample[1 if outside else 0]
    return reverse(route.name, kwargs=kwargs)


def _body(response) -> str:
    """The text a person would read in the response: HTML, JSON, CSV, or a workbook's or PDF's
    text (compressed formats would hide a leak from a plain substring check)."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    content_type = response.get("Content-Type", "")
    if content.startswith(b"PK\x03\x04"):
        workbook = load_workbook(io.BytesIO(content), read_only=True)
        return " ".join(
            str(cell)
            for sheet in workbook.worksheets
            for row in sheet.iter_rows(values_only=True)
            for cell in row
        )
    if content.startswith(b"%PDF") or "pdf" in content_type:
        result = subprocess.run(
            [require_program("pdftotext"), "-", "-"], input=content, capture_output=True, check=True
        )
        return result.stdout.decode()
    return content.decode(errors="replace")


def _is_login_redirect(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith(reverse("login"))


def _has_scoped_param(route: Route, samples: dict) -> bool:
    def differs(param):
        sample = samples.get(route.name, {}).get(param) or samples["*"].get(param)
        return sample[0] != sample[1]

    return any(differs(param) for param in route.params)


ROLES = [Role.ADMIN, Role.OFFICER, Role.SECRETARY, Role.INSPECTOR, Role.MEMBER]


def test_every_url_is_walked():
    """The walk sees the whole project: a guard against the resolver walk silently shrinking."""
    names = {route.name for route in all_routes()}
    assert {
        "home",
        "organizations:detail",
        "accounts:user",
        "api:organization-list",
        "core:import-preview",
    } <= names


@pytest.mark.parametrize("role", ROLES)
def test_scope_holds_on_every_url(world, role):
    client = world.client(role)
    samples = _samples(world)
    sees_everything = role == Role.ADMIN
    for route in all_routes():
        if route.name == "logout":
            continue  # walked last, it would end the session of the walk
        inside = _url(route, samples, outside=False)
        response = client.get(inside)
        assert response.status_code < 500, f"{role} GET {inside}: {response.status_code}"
        body = _body(response)  # a PDF's text or a workbook's cells: read once
        assert DENOUNCER not in body, f"{role} GET {inside} shows a denouncer"
        if not sees_everything:
            assert OUTSIDE_MARK not in body, (
                f"{role} GET {inside} shows an organisation or account outside the scope"
            )

        if _has_scoped_param(route, samples) and not sees_everything:
            outside = _url(route, samples, outside=True)
            response = client.get(outside)
            assert response.status_code in REFUSED, f"{role} GET {outside} was not refused"
            before = _state()
            response = client.post(outside, _post_data(world, route.name, outside=True))
            assert response.status_code in REFUSED, f"{role} POST {outside} was not refused"
            assert _state() == before, f"{role} POST {outside} changed the database"

        names_outside = _post_data(world, route.name, True) != _post_data(world, route.name, False)
        if names_outside and not sees_everything:
            # Outside objects named in the POST body (a parent, an organisation to bind).
            before = _state()
            client.post(inside, _post_data(world, route.name, outside=True))
            assert _state() == before, f"{role} POST {inside} with outside data changed data"

        if role in READ_ONLY_ROLES and route.name not in OWN_ACCOUNT:
            before = _state()
            client.post(inside, _post_data(world, route.name, outside=False))
            assert _state() == before, f"read-only {role} POST {inside} changed the database"


def test_anonymous_visitor_is_sent_to_login(world):
    client = world.client(None)
    samples = _samples(world)
    for route in all_routes():
        url = _url(route, samples, outside=False)
        response = client.get(url)
        if route.name in PUBLIC:
            assert response.status_code == 200, url
        elif route.name.startswith("api:"):
            assert response.status_code in {401, 403}, url
        elif route.name == "logout":
            assert response.status_code in {302, 405}, url
        else:
            assert _is_login_redirect(response), f"anonymous GET {url}: {response.status_code}"
        assert OUTSIDE_MARK not in _body(response)
