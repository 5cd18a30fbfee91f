"""URL converters. `code`: an organisation code in one path segment, whatever it holds. Codes
are checked against a URL-safe alphabet (core/validation.py) since issue 11, but a code
stored before ("A/B") must still be reachable so an officer can correct it: "/" and "%" are
percent-encoded in the segment (reverse() encodes once more, the server decodes once)."""

from urllib.parse import unquote


class CodeConverter:
    regex = "[^/]+"

    def to_python(self, value: str) -> str:
        return unquote(value)

    def to_url(self, value: str) -> str:
        return str(value).replace("%", "%25").replace("/", "%2F")
