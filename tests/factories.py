"""Factories for tests: organisations are inserted through the service helper that sets paths."""

import datetime

import factory

from dangvien.accounts.models import RoleBinding, User
from dangvien.members.models import Gender, Member, Placement, Status
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


class MemberFactory(factory.django.DjangoModelFactory):
    """An official member admitted in 2010, active in `branch` since admission."""

    class Meta:
        model = Member
        skip_postgeneration_save = True

    @classmethod
    def _get_manager(cls, model_class):
        return model_class.unscoped

    code = factory.Sequence(lambda n: f"DV{n:06d}")
    full_name = factory.Sequence(lambda n: f"Nguyễn Văn Số {n}")
    gender = Gender.MALE
    birth_date = datetime.date(1985, 4, 15)
    admitted_on = datetime.date(2010, 2, 3)
    official_on = datetime.date(2011, 2, 3)
    status = Status.OFFICIAL
    ethnicity = "Kinh"
    religion = "Không"
    qualification = "Đại học"
    branch_path = factory.LazyAttribute(lambda member: member.branch.path)

    @factory.post_generation
    def placement(member, create, extracted, **kwargs):
        if create:
            Placement.objects.create(member=member, branch=member.branch, start=member.admitted_on)
