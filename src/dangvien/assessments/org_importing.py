"""The `org-assessments` import kind as the registry (`core.importing.IMPORT_KINDS`) reads it:
its columns, template rows and importer. The code lives in `importing.py`, beside the members'
grades whose checks it shares."""

from dangvien.assessments.importing import ORG_COLUMNS as COLUMNS
from dangvien.assessments.importing import ORG_TEMPLATE_EXAMPLE as TEMPLATE_EXAMPLE
from dangvien.assessments.importing import import_org_assessments

__all__ = ["COLUMNS", "TEMPLATE_EXAMPLE", "import_org_assessments"]
