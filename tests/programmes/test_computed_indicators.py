"""Each computed indicator of a programme, exactly from the records built in the test, and the
same figures as the quality and admissions reports; a reorganisation after the period changes
none of them (formats.md, `programme`)."""

import json

import pytest
from django.utils import timezone

from dangvien.core.decisions import Decision
from dangvien.core.roles import Role
from dangvien.organizations.services import move_organization
from dangvien.programmes import services
from dangvien.programmes.models import ActionProgramme, Indicator
from dangvien.programmes.targets import figures_of
from tests.organizations.history_checks import fresh
from tests.programmes.worlds import EXPECTED, YEAR, build_2024
from tests.reports.commands import run_report

pytestmark = pytest.mark.django_db


def _programme(world):
    programme = services.create_programme(None, world.upper, year=YEAR, title="Chương trình")
    for indicator in Indicator:
        services.set_target(None, programme, services.TargetInput(indicator.value, "≥", 1))
    return programme


def _actuals(programme) -> dict:
    return {row.indicator: (row.actual, row.measure.as_json()) for row in figures_of(programme)}


def test_each_indicator_is_counted_exactly_from_the_records(world):
    build_2024(world)
    assert _actuals(_programme(world)) == EXPECTED


def test_the_shares_and_the_admitted_agree_with_the_quality_and_admissions_reports(world):
    build_2024(world)
    quality = json.loads(run_report("quality", "--org", "P.U1", "--year", str(YEAR))[1])
    admissions = json.loads(run_report("admissions", "--org", "P.U1", "--year", str(YEAR))[1])
    actual = _actuals(_programme(world))
    grades = quality["grades"]
    assert actual["dang_vien_tot_tro_len"][1]["count"] == grades["tot"] + grades["xuat_sac"]
    assert actual["dang_vien_tot_tro_len"][1]["of"] == quality["assessed"]
    org_grades = quality["organizations"]["grades"]
    assert actual["tccsd_tot_tro_len"][1]["count"] == org_grades["tot"] + org_grades["xuat_sac"]
    assert actual["tccsd_tot_tro_len"][1]["of"] == quality["organizations"]["assessed"]
    assert actual["ket_nap"][0] == admissions["admitted"]


def test_a_reorganisation_after_the_period_changes_no_figure(world):
    made = build_2024(world)
    programme = _programme(world)
    before = _actuals(programme)
    today = timezone.localdate()
    admin = world.users[Role.ADMIN]
    move_organization(admin, fresh(made["new"]), world.outside_upper, Decision(today, "9-QĐ/TU"))
    move_organization(admin, fresh(world.base), world.outside_upper, Decision(today, "10-QĐ/TU"))
    assert _actuals(ActionProgramme.unscoped.get(pk=programme.pk)) == before


def test_nothing_to_measure_gives_null_actual_and_null_met(world):
    programme = _programme(world)
    rows = {row.indicator: row for row in figures_of(programme)}
    for slug in ("dang_vien_tot_tro_len", "tccsd_tot_tro_len", "tccsd_quan_triet"):
        assert (rows[slug].actual, rows[slug].met) == (None, None), slug
    assert (rows["ket_nap"].actual, rows["ket_nap"].met) == (0, False)


def test_a_term_uses_the_last_year_of_the_term_with_grades(world):
    build_2024(world)
    programme = services.create_programme(None, world.upper, term=(2020, 2025))
    services.set_target(None, programme, services.TargetInput("dang_vien_tot_tro_len", ">", 60))
    services.set_target(None, programme, services.TargetInput("ket_nap", ">", 2))
    rows = {row.indicator: row for row in figures_of(programme)}
    # 2025 has no grade yet: the grades of 2024 are the term's latest.
    assert rows["dang_vien_tot_tro_len"].actual == 66.67
    assert rows["dang_vien_tot_tro_len"].measure.year == YEAR
    assert rows["dang_vien_tot_tro_len"].met is True
    # Admitted over the whole term: the one of 2023 too.
    assert (rows["ket_nap"].actual, rows["ket_nap"].met) == (3, True)


def test_a_term_not_over_is_measured_up_to_today(world):
    """A term reaching past this year: the shares of its last year begun with grades, the
    admitted so far."""
    build_2024(world)
    programme = services.create_programme(None, world.upper, term=(2024, 2100))
    services.set_target(None, programme, services.TargetInput("dang_vien_tot_tro_len", ">", 60))
    services.set_target(None, programme, services.TargetInput("ket_nap", ">", 0))
    rows = {row.indicator: row for row in figures_of(programme)}
    assert (rows["dang_vien_tot_tro_len"].actual, rows["dang_vien_tot_tro_len"].measure.year) == (
        66.67,
        YEAR,
    )
    assert rows["ket_nap"].actual == 2
    page = world.client(Role.OFFICER).get(f"/programmes/{programme.pk}/")
    assert page.status_code == 200 and "66,67%" in page.content.decode()
