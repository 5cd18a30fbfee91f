"""The pipeline of the admissions report counts the candidate pool as it is today: a candidate's
stage changes are not recorded with the date they took effect, so the pool of a past day cannot
be read. A report of a past period says so wherever it is read (JSON, xlsx, PDF, the page): the
pool's counts are headed «Nguồn kết nạp hiện nay» with the day they were counted on; a report
of the current year, not yet over, is not."""

import datetime
import io
import json
import subprocess

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from dangvien.admissions.models import Stage
from dangvien.core.roles import Role
from tests.reports.commands import run_report
from tests.reports.test_admissions_report import admit, candidate
from tests.reports.test_download_structure_report import rows, section
from tests.reports.test_view_quality_report import section as page_section
from tests.reports.test_view_quality_report import stat
from tests.tools import require_program

pytestmark = pytest.mark.django_db
URL = reverse("reports:admissions")
# The keys of formats.md ("Report JSON", admissions) and of docs/interchange.md.
KEYS = {"org", "name", "from", "to", "as_of", "admitted", "target", "percent_of_target"}
KEYS |= {"breakdown", "children", "pipeline", "stretch_target", "percent_of_stretch_target"}


def today() -> datetime.date:
    return timezone.localdate()


def heading() -> str:
    return f"Nguồn kết nạp hiện nay (ngày {today():%d/%m/%Y})"


@pytest.fixture
def pool(world):
    """Two candidates in the pool today (one of them in the file), one withdrawn; three members
    admitted in 2016."""
    candidate(world.branch, Stage.POOL)
    candidate(world.other_branch, Stage.FILE, datetime.date(2016, 5, 1))
    candidate(world.branch, Stage.WITHDRAWN, datetime.date(2016, 5, 1))
    admit(world.branch, 3, datetime.date(2016, 3, 1))
    return world


def report(*args: str) -> dict:
    status, out, err = run_report("admissions", *args)
    assert status == 0, err
    return json.loads(out)


def test_the_json_of_a_past_year_says_the_pool_is_counted_today(pool):
    found = report("--org", "P.U1", "--year", "2016")
    assert set(found) == KEYS | {"pipeline_as_of"}
    assert found["pipeline"] == {
        "candidates": 2,
        "class_attended": 1,
        "in_file": 1,
        "admitted": 3,
        "official": 0,
    }
    assert found["pipeline_as_of"] == today().isoformat()
    assert found["as_of"] == "2016-12-31"
    current = report("--org", "P.U1", "--year", str(today().year))
    assert current["pipeline_as_of"] == today().isoformat()
    assert current["pipeline"]["candidates"] == 2


def test_the_xlsx_of_a_past_year_heads_the_pool_as_todays(pool, tmp_path):
    def sheet(year: int) -> list[tuple]:
        output = tmp_path / f"r{year}.xlsx"
        args = ("--org", "P.U1", "--year", str(year), "--format", "xlsx", "--output", output)
        status, _, err = run_report("admissions", *args)
        assert status == 0, err
        return rows(load_workbook(io.BytesIO(output.read_bytes())), "Phát triển đảng viên")

    past = sheet(2016)
    assert past[9][0] == "Nguồn kết nạp tính đến ngày"
    assert past[9][1].date() == today()
    notes = [row[0] for row in past if row[0] and str(row[0]).startswith(heading())]
    assert len(notes) == 1 and "không phải ngày 31/12/2016" in notes[0]
    pipeline = section(past, "Từ nguồn đến đảng viên chính thức")
    assert pipeline["Quần chúng ưu tú trong nguồn"] == (2, None)
    assert pipeline["Kết nạp trong kỳ"] == (3, None)
    current = sheet(today().year)
    assert current[9][1].date() == today()
    assert not [row for row in current if row[0] and "Nguồn kết nạp hiện nay" in str(row[0])]


def test_the_pdf_of_a_past_year_heads_the_pool_as_todays(pool, tmp_path):
    output = tmp_path / "r.pdf"
    args = ("--org", "P.U1", "--year", "2016", "--format", "pdf", "--output", output)
    status, _, err = run_report("admissions", *args)
    assert status == 0, err
    text = subprocess.run(
        [require_program("pdftotext"), "-raw", str(output), "-"],
        capture_output=True,
        check=True,
        text=True,
    ).stdout
    assert heading() in text
    assert "không phải ngày 31/12/2016" in " ".join(text.split())


def test_the_page_of_a_past_year_heads_the_pool_as_todays(pool):
    client = pool.client(Role.OFFICER)
    html = client.get(URL, {"org": "P.U1", "year": "2016"}).content.decode()
    assert stat(html, "quần chúng trong nguồn") == "2"
    assert f"hiện nay, ngày {today():%d/%m/%Y}</span>" in html
    pipeline = page_section(html, "pipeline")
    assert f'<tr class="group" id="pool-now"><th colspan="3">{heading()}</th></tr>' in pipeline
    assert '<tr class="group"><th colspan="3">Trong kỳ báo cáo</th></tr>' in pipeline
    assert "không phải ngày 31/12/2016" in pipeline
    # Cut short at a day before today, the current year is a past period too.
    if today() > datetime.date(today().year, 1, 1):
        params = {"org": "P.U1", "year": today().year, "as_of": f"01/01/{today().year}"}
        html = client.get(URL, params).content.decode()
        assert heading() in page_section(html, "pipeline")


def test_the_page_of_the_current_year_counts_the_pool_of_today_without_a_warning(pool):
    client = pool.client(Role.OFFICER)
    html = client.get(URL, {"org": "P.U1", "year": today().year}).content.decode()
    assert stat(html, "quần chúng trong nguồn") == "2"
    pipeline = page_section(html, "pipeline")
    assert "Nguồn kết nạp hiện nay" not in html and 'id="pool-now"' not in pipeline
    assert f"số quần chúng trong nguồn kết nạp ngày {today():%d/%m/%Y}." in pipeline
