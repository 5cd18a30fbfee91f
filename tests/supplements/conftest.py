"""Fixtures of the supplement tests: the year's round opened on the inside subtree, and helpers
to give a member an account and a proposal."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from dangvien.core.roles import Role
from dangvien.core.scope import unscoped
from dangvien.members.models import Member
from dangvien.supplements import services
from dangvien.supplements.models import SupplementProposal, SupplementRound
from tests.factories import PASSWORD, MemberFactory, UserFactory


def today() -> datetime.date:
    return timezone.localdate()


@pytest.fixture
def supplement_round(world) -> SupplementRound:
    """The current year's round, opened by the officer on the whole inside subtree."""
    return services.open_round(
        world.users[Role.OFFICER], world.upper, today().year, today() + datetime.timedelta(days=30)
    )


def member_with_account(branch, username: str, **fields) -> Member:
    user = UserFactory(username=username)
    return MemberFactory(branch=branch, user=user, **fields)


def client_of(member: Member) -> Client:
    client = Client()
    assert client.login(username=member.user.username, password=PASSWORD)
    return client


def fresh(obj):
    with unscoped():
        return type(obj).objects.get(pk=obj.pk)


def proposal_of(member: Member) -> SupplementProposal:
    return SupplementProposal.unscoped.filter(member=member).latest("id")
