"""The `org-assessments` import kind as the registry (`core.importing.IMPORT_KINDS`) reads it:
its columns and importer. The code lives in `importing.py`, beside the members'
grades whose checks it shares."""

from dangvien.assessments.importing import ORG_COLUMNS as COLUMNS
from dangvien.assessments.importing import import_org_assessments

__all__ = ["COLUMNS", "import_org_assessments"]
