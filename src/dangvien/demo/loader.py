"""The demo data set: a fictional province with accounts for every role (`dangvien demo`),
loaded app by app in the order their records depend on each other."""

import random

from django.db import transaction
from django.utils import timezone

from dangvien.accounts import demo as accounts_demo
from dangvien.admissions import demo as admissions_demo
from dangvien.assessments import demo as assessments_demo
from dangvien.awards import demo as awards_demo
from dangvien.badges import demo as badges_demo
from dangvien.committees import demo as committees_demo
from dangvien.core.scope import unscoped
from dangvien.core.statistics import refresh_statistics
from dangvien.dues import demo as dues_demo
from dangvien.inspections import demo as inspections_demo
from dangvien.meetings import demo as meetings_demo
from dangvien.members import demo as members_demo
from dangvien.organizations import demo as organizations_demo
from dangvien.organizations.models import Organization
from dangvien.programmes import demo as programmes_demo
from dangvien.reports import tallies
from dangvien.residence import demo as residence_demo
from dangvien.screening import demo as screening_demo
from dangvien.supplements import demo as supplements_demo
from dangvien.training import demo as training_demo
from dangvien.transfers import demo as transfers_demo

SEED = 2026


def is_empty() -> bool:
    return not Organization.unscoped.exists()


@transaction.atomic
def load_demo() -> None:
    """Load the whole demo data set into an empty database, deterministically."""
    rng = random.Random(SEED)
    with unscoped():
        orgs = organizations_demo.load(rng)
        records = members_demo.load(rng, timezone.localdate())
        accounts_demo.load(orgs, records)
        supplements_demo.load(rng, timezone.localdate())
        assessments_demo.load(rng, timezone.localdate())
        admissions_demo.load(rng, timezone.localdate())
        transfers_demo.load(timezone.localdate())
        inspections_demo.load(timezone.localdate())
        meetings_demo.load(timezone.localdate())
        programmes_demo.load(timezone.localdate())
        residence_demo.load(timezone.localdate())
        committees_demo.load(timezone.localdate())
        training_demo.load(timezone.localdate())
        screening_demo.load(timezone.localdate())
        awards_demo.load(timezone.localdate())
        badges_demo.load(timezone.localdate())
        dues_demo.load(timezone.localdate())
        # Parts of the data went in with bulk inserts, which mark no unit: count every unit.
        tallies.recount(Organization.unscoped.filter(depth=1))
        refresh_statistics()  # SQLite gathers none by itself (core/statistics.py)
