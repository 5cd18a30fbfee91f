"""Vietnamese text: diacritic-insensitive folding and Vietnamese alphabetical order.

`fold` serves search and header matching ("nguyen duc" finds "Nguyễn Đức"); `sort_key` and
`name_sort_key` build byte strings that sort in Vietnamese dictionary order with a plain binary
comparison, so the same indexed column orders correctly on SQLite and PostgreSQL alike.
"""

import re
import unicodedata
from functools import lru_cache

# Vietnamese alphabet, with the letters of foreign words (f, j, w, z) in Latin position.
ALPHABET = "a ă â b c d đ e ê f g h i j k l m n o ô ơ p q r s t u ư v w x y z".split()  # noqa: SIM905
_LETTER_CODE = {letter: 0x20 + index for index, letter in enumerate(ALPHABET)}

# Combining marks that make a new letter (ă â ê ô ơ ư) and the five tone marks, in the
# dictionary order of tones: level, grave, hook, tilde, acute, dot below.
_LETTER_MARKS = {"\u0306": "\u0306", "\u0302": "\u0302", "\u031b": "\u031b"}
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}

_SPACE = 0x02
_DIGIT_BASE = 0x05
_LEVEL_SEPARATOR = 0x01
_PART_SEPARATOR = 0x00

_WHITESPACE = re.compile(r"\s+")


@lru_cache(maxsize=65536)  # names, places and catalogue values repeat: an import folds each once
def fold(text: str) -> str:
    """Lower-case, strip diacritics (đ → d) and collapse white space."""
    text = text.replace("đ", "d").replace("Đ", "d")
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _WHITESPACE.sub(" ", stripped).strip().lower()


def _letters(text: str):
    """Yield (base letter with its letter-forming mark, tone) for each character of `text`."""
    decomposed = unicodedata.normalize("NFD", text.lower())
    base, tone = None, 0
    for ch in decomposed:
        if unicodedata.combining(ch):
            if ch in _LETTER_MARKS and base is not None:
                base += ch
            elif ch in _TONES:
                tone = _TONES[ch]
            continue
        if base is not None:
            yield unicodedata.normalize("NFC", base), tone
        base, tone = ch, 0
    if base is not None:
        yield unicodedata.normalize("NFC", base), tone


def _levels(text: str) -> tuple[bytearray, bytearray]:
    primary, tones = bytearray(), bytearray()
    last_was_space = True
    for letter, tone in _letters(text.strip()):
        if letter in _LETTER_CODE:
            primary.append(_LETTER_CODE[letter])
            tones.append(0x10 + tone)
            last_was_space = False
        elif letter.isdigit() and letter.isascii():
            primary.append(_DIGIT_BASE + int(letter))
            tones.append(0x10)
            last_was_space = False
        elif letter.isspace() or not letter.isalnum():
            if not last_was_space:
                primary.append(_SPACE)
                last_was_space = True
        else:
            # Letters outside the alphabet sort after it, by code point.
            primary.extend(b"\x7f" + letter.encode("utf-8"))
            tones.append(0x10)
            last_was_space = False
    while primary and primary[-1] == _SPACE:
        primary.pop()
    return primary, tones


def sort_key(text: str) -> bytes:
    """Byte key putting `text` in Vietnamese dictionary order: letters first, tones second."""
    primary, tones = _levels(text)
    return bytes(primary) + bytes([_LEVEL_SEPARATOR]) + bytes(tones)


def split_name(full_name: str) -> tuple[str, str]:
    """Split "Nguyễn Văn An" into ("An", "Nguyễn Văn"): the given name is the last word."""
    words = full_name.split()
    if not words:
        return "", ""
    return words[-1], " ".join(words[:-1])


@lru_cache(maxsize=65536)
def name_sort_key(full_name: str) -> bytes:
    """Key ordering people the Vietnamese way: by given name, then family and middle names."""
    given, rest = split_name(full_name)
    given_primary, given_tones = _levels(given)
    rest_primary, rest_tones = _levels(rest)
    return (
        bytes(given_primary)
        + bytes([_PART_SEPARATOR])
        + bytes(rest_primary)
        + bytes([_LEVEL_SEPARATOR])
        + bytes(given_tones)
        + bytes(rest_tones)
    )


def number(value: int | float, places: int = 0) -> str:
    """A number the Vietnamese way, as the templates' floatformat:"0g" prints it: a dot between
    thousands, a comma before decimals ("1.965", "13,97"). For text built in Python: messages,
    refusals, consequences."""
    text = f"{value:,.{places}f}"
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")
