"""Factories for tests: organisations are inserted through the service helper that sets paths."""

import factory

from dangvien.accounts.models import RoleBinding, User
from dangvien.organizations.models import Organization, OrgKind
from dangvien.organizations.services import insert

PASSWORD = "mat-khau-kiem-thu-2026"


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    code = factory.Sequence(lambda n: f"ORG{n:04d}")
    name = factory.Sequence(lambda n: f"Chi bộ số {n}")
    kind = OrgKind.PROVINCE
    parent = None

    @classmethod
    def _create(cls, model_class, *args, parent=None, **kwargs):
        return insert(model_class(**kwargs), parent)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"Người dùng {n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def saved(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def user_with_role(role: str, organization: Organization | None, username: str) -> User:
    user = UserFactory(username=username)
    RoleBinding.objects.create(user=user, role=role, organization=organization)
    return user
