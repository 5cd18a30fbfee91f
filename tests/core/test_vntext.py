"""Vietnamese text: folding for search, dictionary order for names and organisations."""

import random

import pytest
from django.db import connection
from hypothesis import given
from hypothesis import strategies as st

from dangvien.core.vntext import fold, name_sort_key, sort_key

VIETNAMESE = (
    "aăâbcdđeêghiklmnoôơpqrstuưvxyáàảãạắằẳẵặấầẩẫậéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ"
)
vietnamese_text = st.text(alphabet=VIETNAMESE + VIETNAMESE.upper() + " 0123456789", max_size=40)


def test_fold_finds_nguyen_duc_from_plain_ascii():
    assert fold("  Nguyễn   Đức ") == "nguyen duc"
    assert fold("ĐẢNG BỘ PHƯỜNG HÒA BÌNH") == "dang bo phuong hoa binh"


@given(vietnamese_text)
def test_fold_is_idempotent_and_ascii(text):
    folded = fold(text)
    assert fold(folded) == folded
    assert folded.isascii()


def test_letters_follow_the_vietnamese_alphabet():
    words = ["y", "ư", "u", "ơ", "ô", "o", "đ", "d", "ê", "e", "â", "ă", "a", "b"]
    assert sorted(words, key=sort_key) == [
        "a",
        "ă",
        "â",
        "b",
        "d",
        "đ",
        "e",
        "ê",
        "o",
        "ô",
        "ơ",
        "u",
        "ư",
        "y",
    ]


def test_tones_come_after_letters_in_dictionary_order():
    words = ["mạ", "má", "mã", "mả", "mà", "ma", "mai"]
    assert sorted(words, key=sort_key) == ["ma", "mà", "mả", "mã", "má", "mạ", "mai"]


def test_names_sort_by_given_name_then_family_and_middle():
    names = [
        "Trần Văn Bình",
        "Nguyễn Thị Ánh",
        "Lê Đức Anh",
        "Phạm An",
        "Nguyễn Văn An",
        "Đỗ Thị Ân",
        "Hoàng Minh Đức",
        "Vũ Dũng",
    ]
    assert sorted(names, key=name_sort_key) == [
        "Nguyễn Văn An",
        "Phạm An",
        "Lê Đức Anh",
        "Nguyễn Thị Ánh",
        "Đỗ Thị Ân",
        "Trần Văn Bình",
        "Vũ Dũng",
        "Hoàng Minh Đức",
    ]


def test_shorter_word_sorts_before_its_extensions():
    assert sorted(["An Bình", "An", "Anh"], key=sort_key) == ["An", "An Bình", "Anh"]


@given(vietnamese_text, vietnamese_text)
def test_sort_key_is_a_total_order_consistent_with_equality(a, b):
    if sort_key(a) == sort_key(b):
        assert fold(a) == fold(b)


@pytest.mark.postgres
@pytest.mark.django_db
def test_sort_key_agrees_with_postgresql_vietnamese_collation():
    """Our portable key orders words like PostgreSQL's ICU Vietnamese collation (vi-x-icu)."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (runs in CI's PostgreSQL pass)")
    rng = random.Random(7)
    syllables = [
        "an",
        "ăn",
        "ân",
        "anh",
        "bình",
        "binh",
        "đức",
        "dũng",
        "dung",
        "hà",
        "ha",
        "hạ",
        "hả",
        "hã",
        "há",
        "ơn",
        "ôn",
        "on",
        "ưng",
        "ung",
        "y",
        "ý",
        "thị",
    ]
    words = sorted(
        {" ".join(rng.choice(syllables) for _ in range(rng.randint(1, 3))) for _ in range(300)}
    )
    with connection.cursor() as cursor:
        cursor.execute(
            'SELECT w FROM unnest(%s::text[]) AS w ORDER BY w COLLATE "vi-x-icu"', [words]
        )
        expected = [row[0] for row in cursor.fetchall()]
    assert sorted(words, key=sort_key) == expected


def test_numbers_are_written_the_vietnamese_way():
    from dangvien.core.vntext import number

    assert number(1965) == "1.965"
    assert number(13.9651, 2) == "13,97"
    assert number(7.2, 2) == "7,20"
    assert number(1234567.5, 1) == "1.234.567,5"
    assert number(-1500) == "-1.500"
    assert number(0) == "0"
