"""The school search: best match first, forgiving of partial words and typos.

One public function, `search_schools(schools, text)`, narrows a queryset of
schools to those matching what a person typed and orders them best first.
On both databases it takes two steps: the schools that have every word typed
(in their name, city or school district), best first; only when there are
none, the schools whose name is spelled much like what was typed, which
forgives typos ("hillsbro" finds Hillsboro High School). Both steps are served by
indexes built by migration 0012: a search reads the schools it finds, not
the whole table (except where noted below, and where most schools match,
"high" say, when reading the table is PostgreSQL's cheaper plan).

PostgreSQL: full-text search, then trigram similarity (pg_trgm).
- Every word typed must start a word of the name, city or district
  ("st charles hi" finds St. Charles High School; accents are ignored, so
  "espanola" finds Española: the text search configuration runs unaccent).
  Rank: the full-text rank, the name counting most, then the city, then the
  district (ts_rank with weights A, B, C), plus the name's word similarity
  to what was typed, which puts "St. Charles High School" before "St.
  Charles West High School". A GIN index on the weighted vector.
- Typos: pg_trgm's word similarity (at least 0.6, its default) with the
  name, ranked by it. A GIN trigram index on the name.

SQLite: FTS5 with the trigram tokenizer, kept in step by triggers.
- Every word of 3 letters or more must appear in the name, city or district,
  anywhere ("boro" finds Hillsboro); shorter words ("st") must appear too,
  checked on the rows the index found (the trigram index cannot look up
  fewer than 3 letters; a query made only of such words reads every school).
  Rank: the name holding the words in a row, then the number of words that
  start one of the name's words, then bm25 (the name counting most).
- Typos: FTS5 cannot match a misspelling, so the index finds the schools
  whose name has some three-letter sequence of each word, and of those the
  ones whose name has 60% of all the query's sequences remain, most first.
  Accents must match, unless SQLite is 3.45 or newer (its tokenizer then
  ignores them).
"""

import math
import re

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector, TrigramWordSimilarity
from django.db import connections
from django.db.models import Case, Q, Value, When
from django.db.models.functions import Lower, Replace

# pg_trgm's default word_similarity_threshold; the SQLite fallback asks the same share.
SIMILARITY_THRESHOLD = 0.6
# bm25 weights of the name, city and district columns (SQLite).
FTS5_WEIGHTS = (10.0, 4.0, 1.0)


def search_schools(schools, text):
    """`schools` (a School queryset) matching `text`, best match first."""
    words = _words(text)
    if not words:
        return schools.none()
    vendor = connections[schools.db].vendor
    if vendor == "postgresql":
        return _postgresql(schools, text, words)
    if vendor == "sqlite":
        return _sqlite(schools, words)
    raise NotImplementedError(f"The school search supports PostgreSQL and SQLite, not {vendor}.")


def _words(text):
    """'St. Charles High' -> ['st', 'charles', 'high']: runs of letters and digits, in lower case."""
    return re.findall(r"[^\W_]+", text.casefold())


# --- PostgreSQL -------------------------------------------------------------

# Migration 0012's text search configuration: 'simple' (names have no stems
# or stop words) with accents removed.
CONFIG = "programs_search"


def _prefixes(text):
    """Every word typed as a prefix, quoted: "'st.':* & 'c-6':*".

    Quoted, each is split into words by the same parser as the names, cities
    and districts were ("C-6" is 'c' then '-6'); nothing in it is tsquery
    syntax but the quote and the backslash, escaped here.
    """
    quoted = (word.replace("\\", "\\\\").replace("'", "''") for word in text.split())
    return " & ".join(f"'{word}':*" for word in quoted)


def _postgresql(schools, text, words):
    # The very expression migration 0012 indexes: any other is computed row by row.
    vector = (
        SearchVector("name", weight="A", config=CONFIG)
        + SearchVector("city", weight="B", config=CONFIG)
        + SearchVector("district", weight="C", config=CONFIG)
    )
    query = SearchQuery(_prefixes(text), config=CONFIG, search_type="raw")
    typed = " ".join(words)
    found = schools.alias(search_vector=vector).filter(search_vector=query)
    # count(), not exists(): for a first row (LIMIT 1) the planner gambles on
    # reading the table until one turns up, which for a query matching nothing
    # is all 100,000 rows (0.6 s); a count reads the index.
    if found.count():
        return found.annotate(search_rank=SearchRank(vector, query) + TrigramWordSimilarity(typed, "name")).order_by(
            "-search_rank", "name", "pk"
        )
    # Typos: names spelled much like what was typed.
    return (
        schools.filter(name__trigram_word_similar=typed)
        .annotate(search_rank=TrigramWordSimilarity(typed, "name"))
        .order_by("-search_rank", "name", "pk")
    )


# --- SQLite -----------------------------------------------------------------


def _sqlite(schools, words):
    long_words = [word for word in words if len(word) >= 3]
    short_words = [word for word in words if len(word) < 3]
    schools = schools.filter(*(_contains(word) for word in short_words))
    if not long_words:
        return schools.order_by("name", "pk")
    found = _fts5_match(schools, " AND ".join(f'"{word}"' for word in long_words))
    if found.exists():
        # The trigram index matches inside words ("charles" in "Charleston"):
        # first the names with the words in a row ("St. Charles High School"),
        # then those with each word at the start of one of theirs.
        return found.alias(
            plain_name=_plain("name"),
            phrase=_count([Q(plain_name__contains=" ".join(words))]),
            word_starts=_count(_starts_a_word(word) for word in words),
        ).order_by("-phrase", "-word_starts", "search_rank", "name", "pk")
    return _sqlite_similar(schools, long_words)


def _plain(column):
    """The column in lower case with its punctuation as the query's words have it: "st charles", "o fallon"."""
    text = Lower(column)
    for mark, replacement in ((".", ""), (",", ""), ("'", " "), ("-", " ")):
        text = Replace(text, Value(mark), Value(replacement))
    return text


def _contains(word):
    return Q(name__icontains=word) | Q(city__icontains=word) | Q(district__icontains=word)


def _starts_a_word(word):
    return Q(name__istartswith=word) | Q(name__icontains=f" {word}")


def _count(conditions):
    """How many of `conditions` a row meets."""
    return sum((Case(When(condition, then=1), default=0) for condition in conditions), Value(0))


def _fts5_match(schools, match):
    """Schools whose name, city or district match the FTS5 query `match`, with their bm25 as `search_rank`."""
    table = schools.model._meta.db_table
    # A join with the full-text table, which extra() is the ORM's only way to
    # write: bm25() is then computed by the full-text scan itself. Written as a
    # subquery per school instead, it took 90 s for the 25,000 schools matching
    # "high" among 100,000. Every value is a bound parameter.
    return schools.extra(  # noqa: S610
        tables=["programs_school_search"],
        where=[f'programs_school_search.rowid = "{table}"."id"', "programs_school_search MATCH %s"],
        params=[match],
        select={"search_rank": "bm25(programs_school_search, %s, %s, %s)"},
        select_params=FTS5_WEIGHTS,
    )


def _trigrams(word):
    return {word[i : i + 3] for i in range(len(word) - 2)}


def _sqlite_similar(schools, long_words):
    """Schools whose name has most of the words' three-letter sequences: the typo fallback."""
    trigrams = sorted(set().union(*(_trigrams(word) for word in long_words)))
    # Some sequence of each word in the name, found by the index...
    match = " AND ".join(
        "name : (" + " OR ".join(f'"{t}"' for t in sorted(_trigrams(word))) + ")" for word in long_words
    )
    # ...then, on those rows only, how many of all of them.
    return (
        _fts5_match(schools, match)
        .alias(shared=_count(Q(name__icontains=t) for t in trigrams))
        .filter(shared__gte=math.ceil(SIMILARITY_THRESHOLD * len(trigrams)))
        .order_by("-shared", "search_rank", "name", "pk")
    )
