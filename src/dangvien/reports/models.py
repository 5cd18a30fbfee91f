"""Counts kept per unit so that the reports of a province and of the whole Party read a few
hundred rows instead of millions of members (reports/tallies/ keeps them exact).

A unit is the organisation one level below a province (an upper-level committee, or a base
organisation placed directly under the province): every branch lies in exactly one unit.
"""

from django.db import models


class UnitTally(models.Model):
    """One figure of one unit: today's members (`year` TODAY) or a year's grades and members at
    its end, counted by the tree of that day (none for a year it was not a unit at the end of),
    recounted from the records by tallies.recount()."""

    TODAY = 0

    unit = models.ForeignKey(
        "organizations.Organization", on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField()
    figure = models.CharField(max_length=20)
    value = models.CharField(max_length=100, blank=True)
    count = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year", "figure", "value"],
                name="unit_tally_one_figure",
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.year} {self.figure} {self.value}: {self.count}"


class DirtyUnit(models.Model):
    """A unit whose records changed since its tallies were counted: marked in the same
    transaction as the change, so the reports count it from the records until recount() runs.
    `version` grows with every mark; recount() clears only the version it counted."""

    unit = models.OneToOneField(
        "organizations.Organization", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    def __str__(self) -> str:
        return f"{self.unit_id} v{self.version}"


class UnitVersion(models.Model):
    """How many times a unit's records have changed: never reset, so a page cached under the
    versions of the units it shows is never served after a change (members/views.py)."""

    unit = models.OneToOneField(
        "organizations.Organization", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    version = models.PositiveBigIntegerField(default=1)

    def __str__(self) -> str:
        return f"{self.unit_id} v{self.version}"
