"""The test world's inside school (its base committee leads a public-service unit, so the
members of its two branches work there: QĐ 213-QĐ/TW Điều 1) and a neighbourhood branch of the
ward, whose member lives where they are active; links and comments made through the services."""

import datetime

from dangvien.organizations.models import Organization, OrgKind, Sector
from dangvien.residence import services
from dangvien.residence.models import Category, Channel, Result
from tests.factories import MemberFactory, OrganizationFactory

YEAR = 2025


def school(world):
    """The base committee P.U1.01 leads a school (the sector read for its branches); returns
    the neighbourhood branch P.U1.KP (sector Phường) with one member."""
    Organization.unscoped.filter(pk=world.base.pk).update(sector=Sector.DON_VI_SU_NGHIEP)
    quarter = OrganizationFactory(
        code="P.U1.KP",
        name="Chi bộ Khu phố Một",
        kind=OrgKind.BASE_BRANCH,
        parent=world.upper,
        sector=Sector.PHUONG,
    )
    MemberFactory(code="DV-KP-1", full_name="Đỗ Thị Khu Phố", branch=quarter)
    return quarter


def introduce(actor, member, category=Category.REQUIRED, *, on=datetime.date(2020, 3, 1), **kw):
    if category != Category.NOT_INTRODUCED and "residence_org" not in kw:
        kw.setdefault("outside_name", "Chi bộ Tổ dân phố 5")
    if category != Category.REQUIRED:
        kw.setdefault("reason", "Học tập trung 12 tháng")
    return services.introduce(
        actor, member, services.Introduction(category=category, introduced_on=on, **kw)
    )


def comment(actor, member, year=YEAR, *, result=Result.GOOD, on=None, **kw):
    on = on or datetime.date(year, 12, 10)
    kw.setdefault("channel", Channel.PAPER)
    return services.record_comment(
        actor,
        member,
        services.Comment(year=year, result=result, commented_on=on, received_on=on, **kw),
    )
