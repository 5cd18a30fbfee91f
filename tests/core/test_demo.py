"""`dangvien demo --no-serve`: prepares the database, loads the demo once, prints the logins."""

import io

import pytest
from django.core.management import call_command

from dangvien.accounts.demo import ACCOUNTS, DEMO_PASSWORD
from dangvien.core.models import AuditEntry
from dangvien.core.scope import unscoped
from dangvien.members.models import Member
from dangvien.organizations.models import BASE_KINDS, BRANCH_KINDS, Organization, OrgKind


@pytest.mark.django_db(transaction=True)
def test_demo_loads_a_province_once_and_every_login_sees_its_scope(settings):
    out = io.StringIO()
    call_command("demo", "--no-serve", stdout=out)
    printed = out.getvalue()
    for username, *_ in ACCOUNTS:
        assert username in printed
    assert DEMO_PASSWORD in printed
    with unscoped():
        assert Organization.objects.filter(kind=OrgKind.PROVINCE).count() == 1
        assert Organization.objects.filter(kind=OrgKind.UPPER).count() == 5
        assert 18 <= Organization.objects.filter(kind__in=BASE_KINDS).count() <= 25
        assert 50 <= Organization.objects.filter(kind__in=BRANCH_KINDS).count() <= 70
        total = Organization.objects.count()

    call_command("demo", "--no-serve", stdout=io.StringIO())
    assert Organization.unscoped.count() == total
    assert _entries_naming_another_record() == []

    from django.test import Client

    client = Client()
    assert client.login(username="hoabinh", password=DEMO_PASSWORD)
    assert client.get("/orgs/SH.HB/").status_code == 200
    assert client.get("/orgs/SH.TP/").status_code == 404


def _entries_naming_another_record() -> list[tuple[str, str]]:
    """The demo's history entries on a member whose label is not the member's name: the demo
    renames nobody, so each entry names its record as it is (the member account's record
    included)."""
    names = dict(Member.unscoped.values_list("pk", "full_name"))
    entries = AuditEntry.unscoped.filter(target_type=Member._meta.label_lower)
    assert entries.exists()
    return [
        (label, names[pk])
        for pk, label in entries.values_list("target_id", "target_label")
        if names[pk] != label
    ]
