"""`words_in_order`: a text column holding words (a folded name) contains the words of a query
in that order, each possibly with others between ("nguyen dat" finds "nguyen tien dat"). One
LIKE '%nguyen%dat%'. A member search narrows it by the names table first (members/search.py,
whose trigram index takes the trigrams of every piece between the wildcards); the members' own
folded names carry no trigram index (members/0017)."""

from django.db.models import CharField, Lookup


def like_pattern(words: list[str]) -> str:
    """'%w1%w2%…%', the LIKE wildcards in each word escaped with a backslash."""
    escaped = (w.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") for w in words)
    return "%" + "%".join(escaped) + "%"


@CharField.register_lookup
class WordsInOrder(Lookup):
    lookup_name = "words_in_order"

    def get_db_prep_lookup(self, value, connection):
        return "%s", [like_pattern(value.split())]

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} LIKE {rhs} ESCAPE '\\'", [*lhs_params, *rhs_params]
