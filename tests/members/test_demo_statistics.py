"""The demo's SQLite database has its planner statistics (core/statistics.py): the province
officer's first member list page is read along the name-order index, not sorted."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from dangvien.accounts.demo import DEMO_PASSWORD


def test_the_demo_list_reads_the_name_order_index(demo_data):
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL's autovacuum analyses the tables; nothing is run there")
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'members_member'")
        assert cursor.fetchone()[0] > 0
    officer = Client()
    assert officer.login(username="tinhuy", password=DEMO_PASSWORD)
    with CaptureQueriesContext(connection) as queries:
        assert officer.get("/members/").status_code == 200
    ordered = [
        q["sql"]
        for q in queries
        if '"branch_path" LIKE' in q["sql"] and 'ORDER BY "members_member"."sort_key"' in q["sql"]
    ]
    assert ordered, "the list read no page in the name order"
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + ordered[0])
        plan = " ".join(str(step) for step in cursor.fetchall())
    assert "member_order" in plan and "TEMP B-TREE" not in plan, plan
