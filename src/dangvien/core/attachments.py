"""Documents people upload to be kept by the app (a meeting's papers, a resolution's text): a
PDF, a Word document or an image, recognised by its content, not by its name, within
DANGVIEN_DOCUMENT_MAX_MB. Anything else is refused before it is stored: a renamed executable, a
web page, a spreadsheet, an archive that is not a Word document."""

import hashlib
import io
import zipfile
from dataclasses import dataclass

from django.conf import settings

from dangvien.core.errors import DomainError

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the compound file of a .doc

# kind → (content type, the extensions a file of that kind may have)
KINDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "pdf": ("application/pdf", (".pdf",)),
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        (".docx",),
    ),
    "doc": ("application/msword", (".doc",)),
    "png": ("image/png", (".png",)),
    "jpeg": ("image/jpeg", (".jpg", ".jpeg")),
}
ACCEPT = ",".join(ext for _type, exts in KINDS.values() for ext in exts)
NAME_MAX = 200


@dataclass(frozen=True)
class Attachment:
    name: str
    content_type: str
    content: bytes
    sha256: str

    @property
    def size(self) -> int:
        return len(self.content)


def max_bytes() -> int:
    return settings.DOCUMENT_MAX_MB * 1024 * 1024


def _is_docx(content: bytes) -> bool:
    """A Word document: a zip holding word/document.xml (checked by the archive's directory,
    nothing is decompressed)."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        return False
    return "word/document.xml" in names and "[Content_Types].xml" in names


def sniff(content: bytes) -> str | None:
    """The kind of `content` by its first bytes (its structure for a .docx), None when it is
    none of KINDS."""
    if content.startswith(b"%PDF-"):
        return "pdf"
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if content.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if content.startswith(OLE2):
        return "doc"
    if content.startswith(b"PK\x03\x04") and _is_docx(content):
        return "docx"
    return None


def clean_name(name: str) -> str:
    """The file's own name, without folders or characters a download header cannot carry."""
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable() and ch not in '"<>:|?*')
    return name.strip()[-NAME_MAX:] or "tai-lieu"


def accept(name: str, content: bytes) -> Attachment:
    """The upload as kept, or DomainError saying why it is refused (field "file")."""
    if not content:
        raise DomainError("Tệp rỗng, không có nội dung.", field="file")
    if len(content) > max_bytes():
        raise DomainError(
            f"Tệp lớn hơn {settings.DOCUMENT_MAX_MB} MB, giới hạn của một tài liệu; tệp chưa "
            "được lưu.",
            field="file",
        )
    kind = sniff(content)
    if kind is None:
        raise DomainError(
            "Chỉ nhận tài liệu PDF, Word (.doc, .docx) hoặc ảnh (.png, .jpg): nội dung tệp này "
            "không phải loại nào trong số đó.",
            field="file",
        )
    name = clean_name(name)
    content_type, extensions = KINDS[kind]
    if not name.lower().endswith(extensions):
        raise DomainError(
            f"Tên tệp «{name}» không khớp nội dung (nội dung là {kind.upper()}, tên phải có đuôi "
            f"{' hoặc '.join(extensions)}).",
            field="file",
        )
    return Attachment(name, content_type, content, hashlib.sha256(content).hexdigest())
