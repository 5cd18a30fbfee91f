"""The demo tree: every base organisation has the sector of the unit it leads and a founding
date, so the structure report's breakdown by sector shows something in the demo."""

import json
import random

from dangvien.core.scope import unscoped
from dangvien.organizations import demo
from dangvien.organizations.models import BASE_KINDS, Organization, Sector
from tests.reports.commands import run_report


def test_every_base_organisation_of_the_demo_has_a_sector_and_a_founding_date(db):
    with unscoped():
        demo.load(random.Random(2026))
    bases = Organization.unscoped.filter(kind__in=BASE_KINDS)
    assert bases.count() == 20
    assert not bases.filter(sector="").exists()
    assert not bases.filter(founded_on__isnull=True).exists()
    sectors = dict(bases.values_list("code", "sector"))
    assert sectors["SH.HB.02"] == Sector.PHUONG  # a ward's residential quarter
    assert sectors["SH.TP.01"] == Sector.XA  # a commune's hamlet
    assert sectors["SH.HB.04"] == Sector.DON_VI_SU_NGHIEP  # the hospital
    assert sectors["SH.UB.02"] == Sector.CO_QUAN_NHA_NUOC
    assert sectors["SH.QS.03"] == Sector.QUAN_DOI

    status, out, _ = run_report("structure", "--org", "SH")
    assert status == 0
    by_sector = json.loads(out)["co_so_theo_loai_hinh"]
    assert by_sector["chua_ghi"] == 0
    assert sum(by_sector.values()) == 20
    assert by_sector["don_vi_su_nghiep"] == 4  # two schools, the hospital, the newspaper
