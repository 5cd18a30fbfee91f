"""A party document (văn bản của Đảng) printed as PDF: the usual layout of a decision or a
notice (HD 36-HD/VPTW on the form of party documents, as the printed member forms use it): the
issuing body under its upper level at the top left with the document's number, «ĐẢNG CỘNG SẢN
VIỆT NAM» with the place and date at the top right, the title and what it is about, the text,
the recipients and the signature block. The callers (discipline decisions, inspection
conclusions) fill a `PartyDocument`; the layout is templates/documents/party_document.html."""

import datetime
from dataclasses import dataclass, field

from django.template.loader import render_to_string

from dangvien.organizations.models import BRANCH_KINDS, Organization, OrgKind


@dataclass(frozen=True)
class PartyDocument:
    issuer: str  # printed in capitals: "Ủy ban kiểm tra Đảng ủy phường Hòa Bình"
    above: str  # the level above the issuer, printed over it ("" for none)
    number: str
    day: datetime.date
    title: str  # "QUYẾT ĐỊNH", "THÔNG BÁO"
    about: str
    body: list[str]
    recipients: list[str]
    signed_for: str  # "T/M Ban Thường vụ"
    signer_role: str  # "Bí thư"
    preamble: list[str] = field(default_factory=list)
    decides: str = ""  # the word between the preamble and the articles ("QUYẾT ĐỊNH:")
    place: str = ""
    annulled: str = ""  # printed across the top of a document annulled since


def committee_of(org: Organization) -> str:
    """How an organisation's leading body is named on its documents: a branch signs itself,
    a đảng bộ through its committee («Đảng ủy …»)."""
    if org.kind in BRANCH_KINDS:
        return org.name
    return org.name.replace("Đảng bộ", "Đảng ủy", 1)


def signed_for(org: Organization) -> tuple[str, str]:
    """The «T/M» line and the signer's post for a document of `org`'s leading body: the
    standing committee of a province or an upper-level committee, the committee of a base or
    partial committee, the branch itself."""
    if org.kind in BRANCH_KINDS:
        return "T/M Chi bộ", "Bí thư"
    if org.kind in (OrgKind.PROVINCE, OrgKind.UPPER):
        return "T/M Ban Thường vụ", "Bí thư"
    return "T/M Đảng ủy", "Bí thư"


def to_pdf(document: PartyDocument) -> bytes:
    from weasyprint import HTML  # heavy import, only when a document is printed

    return HTML(
        string=render_to_string("documents/party_document.html", {"doc": document})
    ).write_pdf()
