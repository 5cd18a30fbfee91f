"""A chart's share reads as the table beside it reads it (issue 12: «7,2» above «7,20»)."""

from django.template import Context, Template

from dangvien.reports.charts import percent_label


def test_chart_labels_match_the_tables_format():
    table = Template('{{ value|floatformat:"-2" }}')
    for value in (7.2, 13.97, 14.0, 100.0, 0.5, 33.33):
        assert percent_label(value) == table.render(Context({"value": value})), value
