"""The member list's search box: a name's words in order, a code by its beginning, a citizen ID
or card number; on PostgreSQL a name is first looked up among the names members bear."""

from django.db import connection
from django.db.models import Q, QuerySet

from dangvien.core.lookups import like_pattern
from dangvien.core.vntext import fold
from dangvien.members.models import Member

# A code prefix matching more members than this is not looked up as a code ("SH", "DV0").
CODE_PREFIX_CAP = 1000

# More distinct names matching than this and a name search reads the span of the name order
# between the first and the last of them instead of each by key. A list of keys costs its plan
# about 5 ms a thousand (2,000 keys: 10.7 ms); a span costs what lies between: with a million
# names, the 2,599 of "thi hoa" spanned so much of the order that Hà Nội's search read 225 ms
# along it and 107 ms by key (p95 of the whole page; bench/name_variety.py, docs/performance.md).
NAME_KEY_CAP = 3000


def condition(visible: QuerySet[Member], text: str) -> Q:
    """The name's words in order, without diacritics ("nguyen dat" finds "Nguyễn Tiến Đạt"),
    or a code by its beginning in any case ("sh0003" finds SH000345) among `visible`, or
    exactly a citizen ID or card number. Those few ids are looked up first, so the name
    condition and `id IN (…)` can both be checked along the list's order index, which carries
    the folded name."""
    text = text.strip()
    ids = list(
        Member.unscoped.filter(Q(citizen_id=text) | Q(card_number=text))
        .order_by()
        .values_list("pk", flat=True)[:10]
    )
    if " " not in text:
        by_code = list(
            visible.filter(code__istartswith=text)
            .order_by()
            .values_list("pk", flat=True)[: CODE_PREFIX_CAP + 1]
        )
        if len(by_code) > CODE_PREFIX_CAP:  # a short prefix: only the exact code
            exact = Member.unscoped.filter(code__iexact=text).order_by()
            by_code = list(exact.values_list("pk", flat=True))
        ids += by_code
    words = fold(text)
    if not words.strip():
        return Q(pk__in=ids)
    named = by_name(words)
    return named | Q(pk__in=ids) if ids else named


def by_name(words: str) -> Q:
    """Members whose folded name holds `words` in order; on PostgreSQL narrowed to the names
    that do (`name_keys`): by their sort keys when they are few, else to the span of the name
    order they lie in, where the list's order index is read from."""
    holds = Q(search_name__words_in_order=words)
    found = name_keys(words)
    if isinstance(found, list):
        return holds & Q(sort_key__in=found)
    if isinstance(found, tuple):
        first, last = found
        return holds & Q(sort_key__gte=first, sort_key__lte=last)
    return holds


def name_keys(words: str) -> list[bytes] | tuple[bytes, bytes] | None:
    """The sort keys of the names members bear that hold `words` in order (PostgreSQL's
    members_name_key, migration members/0015); when more than NAME_KEY_CAP names match, the
    first and the last of those keys; None where there is no such table (SQLite).

    Names sort by given name, so the matches of "thi hoa" all lie around "Hoa", a third into
    the national name order: read along that order from the start, the first page of 6 million
    members passed 1.9 million entries (464 ms); by key, or from the first matching key on, it
    starts at the first match."""
    if connection.vendor != "postgresql":
        return None
    pattern = like_pattern(words.split())
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT sort_key FROM members_name_key "
            "WHERE search_name LIKE %s ESCAPE '\\' LIMIT %s",
            [pattern, NAME_KEY_CAP + 1],
        )
        keys = [bytes(key) for (key,) in cursor.fetchall()]
        if len(keys) <= NAME_KEY_CAP:
            return keys
        # No min() of bytea: the first and the last of the matching keys.
        matching = "FROM members_name_key WHERE search_name LIKE %s ESCAPE '\\' ORDER BY sort_key"
        cursor.execute(
            f"SELECT (SELECT sort_key {matching} LIMIT 1), "
            f"(SELECT sort_key {matching} DESC LIMIT 1)",
            [pattern, pattern],
        )
        first, last = cursor.fetchone()
    return bytes(first), bytes(last)
