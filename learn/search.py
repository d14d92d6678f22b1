"""Search across everything: lessons, status codes and questions, from one box, tolerant of typos.

The corpus is small (a few hundred documents), so the index lives in memory, built once per
content version and per process. Every app contributes documents through its AppConfig's
`search_documents` (a dotted path to a function returning `Document`s), as `load_content` asks
every app for its content, so `learn` searches quiz's questions without importing `quiz`.

Matching, per word of the query (small words such as "the" left out): an exact word scores 1;
a word the query word begins (typing "gatew" finds "gateway") 0.8; a word within one typo (two
for words of seven letters or more: "forbiden" finds "forbidden", "gatway" finds "gateway") 0.6.
A word's score is weighted by the field it is in (title 3, names and keywords 2, text 1) and by
how rare it is (idf). A number of three digits matches that status code exactly; the whole query
as written in a title, or every word of it in a title, counts most. Results are ranked by their
summed score; a query whose words mostly find nothing finds nothing.
"""

import math
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from django.apps import apps
from django.utils.module_loading import import_string

from learn.caching import content_version
from learn.models import Lesson, StatusCode

MAX_QUERY = 100
MAX_RESULTS = 20
FIELD_WEIGHTS = {"title": 3.0, "keywords": 2.0, "text": 1.0}
STOP = frozenset(
    {
        "a", "an", "and", "are", "as", "at", "be", "by", "do", "does", "for", "from", "how", "i",
        "in", "is", "it", "its", "of", "on", "or", "the", "to", "what", "when", "which",
        "why", "with", "you", "your",
    }
)  # fmt: skip
_WORD = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True)
class Document:
    """One thing search can find."""

    kind: str  # "code", "lesson" or "question": results are grouped by it
    title: str
    url: str
    summary: str = ""
    keywords: str = ""  # names, former names, codes: weigh more than text
    text: str = ""
    code: int | None = None  # a status code's own page answers its number exactly
    action: str = ""  # for questions: where a POST starts a practice set of it


@dataclass
class Result:
    document: Document
    score: float


@dataclass
class Index:
    documents: list[Document]
    postings: dict[str, dict[int, float]] = field(default_factory=dict)  # word → {doc: weight}
    by_length: dict[int, list[str]] = field(default_factory=dict)  # vocabulary by word length
    by_code: dict[int, int] = field(default_factory=dict)

    @classmethod
    def build(cls, documents: list[Document]) -> "Index":
        index = cls(documents)
        counts: dict[str, dict[int, float]] = defaultdict(dict)
        for number, document in enumerate(documents):
            for name, weight in FIELD_WEIGHTS.items():
                for word in words(getattr(document, name)):
                    counts[word][number] = max(counts[word].get(number, 0.0), weight)
            if document.code is not None:
                index.by_code[document.code] = number
        total = len(documents) or 1
        for word, found in counts.items():
            idf = math.log(1 + total / len(found))
            index.postings[word] = {doc: weight * idf for doc, weight in found.items()}
            index.by_length.setdefault(len(word), []).append(word)
        return index

    def search(self, query: str, limit: int = MAX_RESULTS) -> list[Result]:
        terms = [word for word in words(query) if word not in STOP] or words(query)
        if not terms:
            return []
        scores: dict[int, float] = defaultdict(float)
        matched = 0
        for term in terms:
            best: dict[int, float] = {}
            if term.isdigit() and len(term) == 3 and int(term) in self.by_code:
                best[self.by_code[int(term)]] = 100.0
            for word, quality in self.similar(term):
                for doc, weight in self.postings[word].items():
                    best[doc] = max(best.get(doc, 0.0), weight * quality)
            if best:
                matched += 1
            for doc, score in best.items():
                scores[doc] += score
        if matched * 2 < len(terms):  # most of the query found nothing: no guesses
            return []
        phrase = " ".join(words(query))
        for doc in scores:
            title = words(self.documents[doc].title)
            if len(terms) > 1 and phrase in " ".join(title):
                scores[doc] += 10.0  # the whole query as written in a title: the best match
            elif len(terms) > 1 and all(_in_title(term, title) for term in terms):
                scores[doc] += 5.0  # every word of the query in the title, typos and all
        ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))[:limit]
        return [Result(self.documents[doc], score) for doc, score in ranked]

    def similar(self, term: str) -> Iterable[tuple[str, float]]:
        """Words of the index that match `term`: exactly, as a prefix, or within a typo or two."""
        if term in self.postings:
            yield term, 1.0
        if term.isdigit():
            return
        typos = 2 if len(term) >= 7 else 1 if len(term) >= 4 else 0
        letters = set(term)
        for length in range(max(1, len(term) - typos), len(term) + 40):
            for word in self.by_length.get(length, ()):
                if word == term:
                    continue
                if length > len(term) and word.startswith(term) and len(term) >= 3:
                    yield word, 0.8
                elif (
                    typos
                    and abs(length - len(term)) <= typos
                    and len(letters ^ set(word)) <= 2 * typos
                    and within(term, word, typos)
                ):
                    yield word, 0.6


def _in_title(term: str, title: list[str]) -> bool:
    typos = 2 if len(term) >= 7 else 1 if len(term) >= 4 else 0
    return any(
        word == term or word.startswith(term) or (typos and within(term, word, typos))
        for word in title
    )


def words(text: str) -> list[str]:
    """Lowercase words without accents: "Forbidden!" → ["forbidden"]."""
    plain = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode().lower()
    return _WORD.findall(plain)


@lru_cache(maxsize=4096)
def within(a: str, b: str, limit: int) -> bool:
    """Whether the edit distance (insert, delete, substitute, swap two letters) is ≤ limit."""
    previous_previous: list[int] | None = None
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, start=1):
        current = [i] + [0] * len(b)
        for j, char_b in enumerate(b, start=1):
            cost = char_a != char_b
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if (
                previous_previous is not None
                and i > 1
                and j > 1
                and char_a == b[j - 2]
                and a[i - 2] == char_b
            ):
                current[j] = min(current[j], previous_previous[j - 2] + 1)
        if min(current) > limit:
            return False
        previous_previous, previous = previous, current
    return previous[len(b)] <= limit


def providers() -> list[Callable[[], list[Document]]]:
    return [
        import_string(config.search_documents)
        for config in apps.get_app_configs()
        if getattr(config, "search_documents", None)
    ]


def index() -> Index:
    """The index of the content as it is now (built once per content version and process)."""
    version = content_version()
    found = _built.get(version)
    if found is None:
        found = Index.build([d for provider in providers() for d in provider()])
        _built.clear()
        _built[version] = found
    return found


_built: dict[str, Index] = {}


def search(query: str) -> dict[str, list[Result]]:
    """Results grouped by kind (codes, lessons, questions), each group best first."""
    grouped: dict[str, list[Result]] = {"code": [], "lesson": [], "question": []}
    for result in index().search(query):
        grouped.setdefault(result.document.kind, []).append(result)
    return grouped


def learn_documents() -> list[Document]:
    """Learn's documents: every status code and every published lesson."""
    documents = [
        Document(
            kind="code",
            title=f"{code.code} {code.name}",
            url=code.get_absolute_url(),
            summary=code.summary,
            keywords=" ".join([str(code.code), code.name, *code.former_names]),
            text=f"{code.summary} {code.when_to_use} {code.mistakes}",
            code=code.code,
        )
        for code in StatusCode.objects.order_by("code")
    ]
    lessons = Lesson.objects.published().order_by("position").prefetch_related("codes")
    documents += [
        Document(
            kind="lesson",
            title=lesson.title,
            url=lesson.get_absolute_url(),
            summary=lesson.summary,
            keywords=" ".join(f"{c.code} {c.name}" for c in lesson.codes.all()),
            text=" ".join([lesson.summary, *lesson.takeaways, lesson.body]),
        )
        for lesson in lessons
    ]
    return documents
