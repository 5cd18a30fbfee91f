"""Documents kept by the app are recognised by their content: any bytes are either one of the
accepted kinds or refused with a reason, never an error; a name must match the content."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dangvien.core import attachments
from dangvien.core.errors import DomainError


@given(st.binary(max_size=2048), st.text(max_size=80))
def test_any_upload_is_accepted_as_a_known_kind_or_refused(content, name):
    try:
        kept = attachments.accept(name, content)
    except DomainError as refusal:
        assert refusal.field == "file" and refusal.message
    else:
        assert attachments.sniff(content) is not None
        assert kept.content_type in {t for t, _exts in attachments.KINDS.values()}
        assert "/" not in kept.name and "\\" not in kept.name


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("a.pdf", b"%PDF-1.7 ...", "pdf"),
        ("a.png", b"\x89PNG\r\n\x1a\n....", "png"),
        ("a.JPG", b"\xff\xd8\xff\xe0....", "jpeg"),
        ("a.doc", attachments.OLE2 + b"....", "doc"),
    ],
)
def test_known_kinds(name, content, kind):
    assert attachments.sniff(content) == kind
    assert attachments.accept(name, content).content_type == attachments.KINDS[kind][0]


def test_folders_in_a_name_are_dropped():
    kept = attachments.accept("..\\..\\windows/ke hoach.pdf", b"%PDF-1.4")
    assert kept.name == "ke hoach.pdf"
