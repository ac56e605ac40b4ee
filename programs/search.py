"""The school search: best match first, forgiving of partial words and typos, fast at 100,000 schools.

One public function, `search_schools(schools, text)`, returns the schools of a
queryset matching what a person typed, best first, as a `SearchResults`
sequence (what the paginator takes). It works in three steps:

1. **Match**, in the database, through its full-text index: the schools that
   have every word typed in their name, city or school district. At most
   `CANDIDATES` of them are read (ids and the three texts), so that a word
   most schools have ("high", "elementary") costs no more than a rare one;
   when more match, those whose *name* has every word are read first (a
   second query, unless every school read has them already), and the page
   says that more schools match and how to narrow the search.
2. **Rank**, in Python, the same way on both databases (`rank_key`): the
   name holding the words in a row first ("St. Charles High School" before
   "St. Charles West High School"), then the number of words that start a
   word of the name, then of the city, then of the district, then the
   shorter name, then the name and id (so pages never repeat or skip).
3. **Spelling help**, only when nothing matched: each word typed that starts
   no word of any school (`SearchWord`, the vocabulary) is replaced by the
   most used word one letter away (a letter wrong, missing, extra, or two
   swapped: "hillsbro" finds Hillsboro), and the search runs again; the
   results say what was searched for instead.

Matching per database:
- PostgreSQL: full-text search over a weighted vector of name, city and
  district (a GIN index, migration 0012), every word typed as a prefix of a
  word ("st charles hi"), accents ignored (the text search configuration
  runs unaccent). A prefix that starts only a few words of the vocabulary
  is written out as those words ('charles' | 'charleston'), which the index
  answers without gathering every school holding one of them first.
- SQLite: FTS5 with the trigram tokenizer (migration 0012, kept in step by
  triggers): every word of 3 letters or more appears anywhere in the name,
  city or district ("boro" finds Hillsboro); shorter words ("st") are
  checked on the rows the index found. Accents must match unless SQLite is
  3.45 or newer.
"""

import functools
import re
import string
import unicodedata
from collections import Counter
from collections.abc import Sequence

from django.contrib.postgres.search import SearchVector
from django.db import connections, transaction
from django.db.models import BooleanField, Exists, Q
from django.db.models.expressions import RawSQL

# The most schools a search reads and ranks. More than this and the page asks
# the person to narrow the search (a state, a county, another word): nobody
# reads past the 10th page, and ranking every school that says "Elementary"
# would make the search as slow as the country is large.
CANDIDATES = 200
# SQLite: how many of the schools matching the name tier looks through (see _sqlite_matching).
NAME_SCAN = 1000
# Words up to this long get spelling help; longer words are left as typed.
LONGEST_WORD_CORRECTED = 30


def search_schools(schools, text, read_from=None):
    """`schools` (a School queryset) matching `text`, best match first, as `SearchResults`.

    `read_from`: a function returning the queryset the results' schools are
    read from, with what showing them needs (their officers...): built only
    when some are read, not for every search. `schools` by default.
    """
    words = words_of(text)
    # On PostgreSQL, what the vocabulary holds of the words typed, asked once: the
    # prefixes written out, and which words the spelling help need not ask about.
    starts = _starts(schools, text)
    results = _search(schools, text, read_from=read_from, starts=starts)
    if results or not words:
        return results
    corrected = corrected_words(words, schools.db, starts=starts)
    if corrected == [fold(word) for word in words]:
        return results
    return _search(schools, " ".join(corrected), corrected_from=words, read_from=read_from)


def words_of(text):
    """'St. Charles Española' -> ['st', 'charles', 'española']: runs of letters and digits, in lower case.

    Accents stay: the databases' indexes decide whether they matter (see above).
    """
    return re.findall(r"[^\W_]+", text.casefold())


# Letters Unicode does not decompose into a letter and an accent, which PostgreSQL's
# unaccent (the search configuration) still writes as plain letters: "Łódź" is 'lodz' there.
UNACCENTED = str.maketrans(
    {"ł": "l", "Ł": "l", "ø": "o", "Ø": "o", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "đ": "d", "Đ": "d"}
    | {"ð": "d", "Ð": "d", "þ": "th", "Þ": "th", "ħ": "h", "Ħ": "h", "ı": "i", "ŀ": "l", "Ŀ": "l", "ŧ": "t", "Ŧ": "t"}
)


def fold(text):
    """Lower case without accents: how results are ranked and the vocabulary is kept."""
    if text.isascii():
        return text.casefold()
    decomposed = unicodedata.normalize("NFKD", text.translate(UNACCENTED))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


class SearchResults(Sequence):
    """Ranked school ids, read as School objects a slice at a time (a page costs one query).

    `hits` holds (school id, agency id) pairs in the same order: what the
    search page needs to find each school's card in the cache
    (programs/search_cards.py) without reading the school.
    """

    def __init__(self, schools, hits=(), more=False, words=(), corrected_from=(), read_from=None):
        self._schools = schools
        self._read_from = read_from
        self.hits = list(hits)
        self.ids = [pk for pk, _agency_id in self.hits]
        self.more = more  # more schools match than were read
        self.words = list(words)  # the words searched for
        self.corrected_from = list(corrected_from)  # what was typed, when spelling help changed it

    @property
    def searched_for(self):
        """The words searched for, when spelling help changed what was typed ('' otherwise)."""
        return " ".join(self.words) if self.corrected_from else ""

    def count(self):
        return len(self.ids)

    def __len__(self):
        return len(self.ids)

    def __iter__(self):
        return iter(self[:])

    def __getitem__(self, index):
        if isinstance(index, slice):
            return self.schools(self.ids[index])
        found = self[index : index + 1] if index >= 0 else self[index:][:1]
        if not found:
            raise IndexError(index)
        return found[0]

    def schools(self, ids):
        """The schools of these ids, in that order, in one query (with the queryset's prefetches)."""
        schools = self._read_from().using(self._schools.db) if self._read_from else self._schools
        by_id = {school.pk: school for school in schools.filter(pk__in=ids)}
        return [by_id[pk] for pk in ids if pk in by_id]


def _search(schools, text, corrected_from=(), read_from=None, starts=None):
    words = words_of(text)
    if not words:
        return SearchResults(schools, read_from=read_from)
    folded = [fold(word) for word in words]
    phrase = " ".join(folded)
    # The words typed as the vocabulary's words they start, asked once for both queries below.
    if starts is None:
        starts = _starts(schools, text)
    ranked = [(rank_key(row, folded, phrase), row) for row in matching(schools, text, starts=starts)[: CANDIDATES + 1]]
    more = len(ranked) > CANDIDATES
    if more:
        ranked = ranked[:CANDIDATES]
        # The schools whose name has every word first: they are the best matches. When every
        # one read already has (a word most names have: "elementary"), asking again for the
        # named ones would read as many again, for the same answer.
        if any(key[1] > -len(folded) for key, _row in ranked):
            named = [
                (rank_key(row, folded, phrase), row)
                for row in matching(schools, text, names_only=True, starts=starts)[:CANDIDATES]
            ]
            seen = {row[0] for _key, row in named}
            ranked = named + [(key, row) for key, row in ranked if row[0] not in seen][: CANDIDATES - len(named)]
    ranked.sort(key=lambda pair: pair[0])
    hits = [(row[0], row[4]) for _key, row in ranked]
    return SearchResults(schools, hits, more, words, corrected_from, read_from)


def rank_key(row, words, phrase):
    """The sort key of a (pk, name, city, district, ...) row, for folded `words`: smaller is better."""
    pk, name, city, district = row[:4]
    # " st charles high school": a word typed starts a word of the name where " word" is in it.
    name_text, name_length = _spaced_words(name)
    city_text = _spaced_words(city)[0]
    district_text = _spaced_words(district)[0]
    return (
        f" {phrase}" not in name_text,
        # -len(words) when every word starts a word of the name (_search relies on it).
        -sum(f" {word}" in name_text for word in words),
        -sum(f" {word}" in city_text for word in words),
        -sum(f" {word}" in district_text for word in words),
        name_length,
        name_text,
        pk,
    )


@functools.lru_cache(maxsize=10_000)
def _spaced_words(text):
    """'St. Charles High' -> (' st charles high', 3): the folded words, each after a space, and how many.

    Remembered: a search ranks up to 400 rows, whose cities and districts
    (and many names: "Lincoln Elementary") come back search after search.
    """
    words = words_of(fold(text or ""))
    return " " + " ".join(words), len(words)


def matching(schools, text, names_only=False, starts=None):
    """(pk, name, city, district, agency_id) of the schools with every word of `text`, through the full-text index.

    `starts`: `vocabulary_starts(text)` when already asked (PostgreSQL only; asked here otherwise).
    Evaluate it, never nest it in another query: on PostgreSQL its condition names the table
    "programs_school", which Django cannot rename as it does a subquery's tables.
    """
    vendor = connections[schools.db].vendor
    if vendor == "postgresql":
        if starts is None:
            starts = vocabulary_starts(text, schools.db)
        found = _postgresql_matching(schools, text, names_only, starts)
    elif vendor == "sqlite":
        found = _sqlite_matching(schools, words_of(text), names_only)
    else:
        raise NotImplementedError(f"The school search supports PostgreSQL and SQLite, not {vendor}.")
    # In the index's order, not sorted: sorting would read every school matching
    # before the first 200 ("high": 20,000). Ranking then orders them fully.
    return found.order_by().values_list("pk", "name", "city", "district", "agency_id")


# --- PostgreSQL -------------------------------------------------------------

# Migration 0012's text search configuration: 'simple' (names have no stems
# or stop words) with accents removed.
CONFIG = "programs_search"


def _vector():
    # The very expression migration 0012 indexes: any other is computed row by row.
    return (
        SearchVector("name", weight="A", config=CONFIG)
        + SearchVector("city", weight="B", config=CONFIG)
        + SearchVector("district", weight="C", config=CONFIG)
    )


# A word typed matches any word it starts ('elem':*). For such a prefix, the
# GIN index gathers every school holding a word it starts before it can
# intersect: 'example':* alone is 100,000 schools at national size, 1.7 ms of
# a 1.9 ms query. Written out as the words themselves ('example' | 'examples')
# the index skips through its lists instead (0.2 ms). The vocabulary
# (SearchWord, kept by every writer: `vocabulary_words`) names them; a prefix
# that starts more words than this stays a prefix.
WORDS_WRITTEN_OUT = 8


def word_starts(text, using="default"):
    """{folded word typed: the vocabulary's words it starts}, in one query, for the words it can write out.

    Only words of plain letters (a to z, 3 to 30) are asked: the vocabulary
    holds every word of 3 characters or more that begins with a letter
    (`vocabulary_words`), so it holds every word such a prefix starts. A word
    starting more than WORDS_WRITTEN_OUT of them, or none, is left out and
    searched as a prefix.
    """
    return {word: known for word, known in vocabulary_starts(text, using).items() if _written_out(known)}


def _written_out(known):
    return 0 < len(known) <= WORDS_WRITTEN_OUT


def vocabulary_starts(text, using="default"):
    """{folded word typed: up to WORDS_WRITTEN_OUT + 1 of the vocabulary's words it starts}, in one query.

    Every word `word_starts` asks about is a key, with [] when it starts no
    word of the vocabulary: what the spelling help would ask (`corrected_words`).
    """
    from .models import SearchWord

    typed = sorted({word for word in map(fold, text.split()) if _asked_for_starts(word)})
    if not typed:
        return {}
    connection = connections[using]
    table = connection.ops.quote_name(SearchWord._meta.db_table)
    # One bounded index range per word (the varchar_pattern_ops index Django adds to a unique
    # CharField), in one query: the ORM's union of sliced querysets cost more than the query.
    # The table's name is the model's; the words (letters only: no LIKE wildcard) are parameters.
    part = f"(SELECT %s, word FROM {table} WHERE word LIKE %s LIMIT %s)"  # noqa: S608
    sql = " UNION ALL ".join(part for _ in typed)
    params = [value for word in typed for value in (word, f"{word}%", WORDS_WRITTEN_OUT + 1)]
    found = {word: [] for word in typed}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for word, known in cursor.fetchall():
            found.setdefault(word, []).append(known)
    return {word: sorted(known) for word, known in found.items()}


def _starts(schools, text):
    """`vocabulary_starts(text)` on PostgreSQL, where prefixes are written out; None elsewhere."""
    return vocabulary_starts(text, schools.db) if connections[schools.db].vendor == "postgresql" else None


def _asked_for_starts(word):
    return word.isascii() and _correctable(word)


def _tsquery(text, starts=None):
    """Every word typed, as a prefix or as the words it starts (`starts`): "'st.':* & ('charles' | 'charleston')".

    Quoted, each is split into words by the same parser as the names, cities
    and districts were ("C-6" is 'c' then '-6'); nothing in it is tsquery
    syntax but the quote and the backslash, escaped here.
    """
    starts = starts or {}
    terms = []
    for word in text.split():
        known = starts.get(fold(word))
        if known and _written_out(known):
            terms.append("(" + " | ".join(f"'{_quoted(w)}'" for w in known) + ")")
        else:
            terms.append(f"'{_quoted(word)}':*")
    return " & ".join(terms)


def _quoted(word):
    return word.replace("\\", "\\\\").replace("'", "''")


def _postgresql_matching(schools, text, names_only, starts):
    # The name alone has its own index (migration 0014): asking the weighted
    # vector for weight A only would recompute it for every school matching.
    vector, params = _compiled_vector(schools.db, names_only)
    # What SearchQuery(search_type="raw") writes, as one condition: the ORM's
    # SearchVector and SearchQuery cost about 0.6 ms a query to resolve and compile.
    # The vector is the ORM's own SQL; what was typed is a parameter.
    match = RawSQL(  # noqa: S611
        f"({vector}) @@ to_tsquery(%s::regconfig, %s)", (*params, CONFIG, _tsquery(text, starts)), BooleanField()
    )
    return schools.filter(match)


@functools.cache
def _compiled_vector(using, names_only):
    """The SQL of the vector the index holds (the ORM's own, compiled once per database): (sql, params)."""
    from .models import School

    query = School.objects.using(using).all().query
    vector = SearchVector("name", config=CONFIG) if names_only else _vector()
    sql, params = query.get_compiler(using=using).compile(vector.resolve_expression(query))
    return sql, tuple(params)


# --- SQLite -----------------------------------------------------------------


def _sqlite_matching(schools, words, names_only):
    long_words = [word for word in words if len(word) >= 3]
    short_words = [word for word in words if len(word) < 3]
    schools = schools.filter(*(_contains(word, names_only) for word in short_words))
    if not long_words:
        return schools
    match = " AND ".join(f'"{word}"' for word in long_words)
    if names_only:
        # Of the first NAME_SCAN schools the index finds, those whose name has
        # every word. FTS5's own column filter ("name : ...") reads the whole
        # of each word's list first: 10 ms for a word every school has.
        found = RawSQL(
            "SELECT rowid FROM programs_school_search WHERE programs_school_search MATCH %s LIMIT %s",
            [match, NAME_SCAN],
        )
        return schools.filter(pk__in=found).filter(*(Q(name__icontains=word) for word in long_words))
    table = schools.model._meta.db_table
    # A join with the full-text table, which extra() is the ORM's only way to
    # write. The value matched is a bound parameter; words hold only letters
    # and digits, so nothing in them is FTS5 syntax.
    return schools.extra(  # noqa: S610
        tables=["programs_school_search"],
        where=[f'programs_school_search.rowid = "{table}"."id"', "programs_school_search MATCH %s"],
        params=[match],
    )


def _contains(word, names_only):
    if names_only:
        return Q(name__icontains=word)
    return Q(name__icontains=word) | Q(city__icontains=word) | Q(district__icontains=word)


# --- Spelling help ----------------------------------------------------------


def corrected_words(words, using="default", starts=None):
    """`words` with each one that starts no known word replaced by the most used word one letter away.

    At most two queries whatever the number of words: which words start a known word, then every word one
    letter away from the others. `starts` (`vocabulary_starts` of these words, when already asked) answers the
    first for the words it holds.
    """
    from .models import SearchWord

    starts = starts or {}
    folded = [fold(word) for word in words]
    checked = sorted({word for word in folded if _correctable(word)})
    known = {word for word in checked if starts.get(word)}
    known |= _known(SearchWord.objects.using(using), [word for word in checked if word not in starts])
    edits = {word: _one_letter_away(word) for word in checked if word not in known}
    if not edits:
        return folded
    candidates = SearchWord.objects.using(using).filter(_one_of(sorted(set().union(*edits.values())), using))
    found = dict(candidates.values_list("word", "schools"))
    best = {
        word: min((edit for edit in nearby if edit in found), key=lambda edit: (-found[edit], edit), default=word)
        for word, nearby in edits.items()
    }
    return [best.get(word, word) for word in folded]


def _one_of(words, using):
    """`word IN words`: on PostgreSQL as one array parameter. A word of 10 letters has 500 neighbours;
    as 500 parameters each, psycopg and the ORM spent longer writing the query than PostgreSQL answering it."""
    if connections[using].vendor == "postgresql":
        return Q(word__in=RawSQL("SELECT unnest(%s::text[])", [words]))
    return Q(word__in=words)


def _correctable(word):
    return word.isalpha() and 3 <= len(word) <= LONGEST_WORD_CORRECTED


def _known(vocabulary, words):
    """Those of `words` that start a word of the vocabulary, asked in one query (one EXISTS per word)."""
    if not words:
        return set()
    checks = {f"known_{i}": Exists(vocabulary.filter(word__startswith=word)) for i, word in enumerate(words)}
    # Any one row of the vocabulary carries the answers; an empty vocabulary knows no word.
    rows = list(vocabulary.order_by().annotate(**checks).values(*checks)[:1])
    return {word for i, word in enumerate(words) if rows and rows[0][f"known_{i}"]}


def _one_letter_away(word):
    """Every string one deletion, swap of neighbours, replacement or insertion from `word` (Norvig's edits1)."""
    letters = string.ascii_lowercase
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = [a + b[1:] for a, b in splits if b]
    swaps = [a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1]
    replaces = [a + c + b[1:] for a, b in splits if b for c in letters if c != b[0]]
    inserts = [a + c + b for a, b in splits for c in letters]
    return sorted(set(deletes + swaps + replaces + inserts) - {word})


def vocabulary_words(*texts):
    """The words of these texts the search keeps: 3 characters or more, beginning with a letter.

    Spelling help offers only those of letters alone (a word one letter away
    from one typed); the written-out prefixes need the others too ("charles"
    starts "charles2").
    """
    return {
        word
        for text in texts
        for word in words_of(fold(text or ""))
        if len(word) >= 3 and word[0].isalpha() and len(word) <= VOCABULARY_WORD_LENGTH
    }


VOCABULARY_WORD_LENGTH = 100  # SearchWord.word's max_length


def record_search_words(school, using="default"):
    """Add the words of a school just saved (existing words keep their count)."""
    record_words_of([school], using)


def record_words_of(schools, using="default"):
    """Add the words of these schools that the vocabulary lacks (existing words keep their count)."""
    from .models import SearchWord

    words = set().union(*(vocabulary_words(s.name, s.city, s.district) for s in schools))
    SearchWord.objects.using(using).bulk_create(
        [SearchWord(word=word) for word in sorted(words)], ignore_conflicts=True, batch_size=2000
    )


def refresh_search_words(using="default"):
    """Count every school's words again: after a bulk load or import, which bypasses `record_search_words`."""
    from .models import School, SearchWord

    with transaction.atomic(using=using):
        connection = connections[using]
        if connection.vendor == "postgresql":
            # Schools saved meanwhile add their words after this count, never before a delete
            # that would drop them: the written-out prefixes must find every school's words.
            table = connection.ops.quote_name(SearchWord._meta.db_table)
            with connection.cursor() as cursor:
                cursor.execute(f"LOCK TABLE {table} IN SHARE ROW EXCLUSIVE MODE")
        counts = Counter()
        rows = School.objects.using(using).values_list("name", "city", "district").iterator(chunk_size=5000)
        for name, city, district in rows:
            counts.update(vocabulary_words(name, city, district))
        SearchWord.objects.using(using).all().delete()
        SearchWord.objects.using(using).bulk_create(
            [SearchWord(word=word, schools=n) for word, n in counts.items()], batch_size=2000
        )
    return len(counts)
