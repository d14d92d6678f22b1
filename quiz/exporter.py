"""Question files out: the questions and quizzes in the database, in the importer's format.

The output is deterministic (quizzes by position then slug, questions and quiz question lists
by slug, fixed key order), so an export imported into an empty bank exports byte for byte the
same. Texts are written as the importer stores them (trimmed, LF line ends); a field is left
out only where the importer gives the same default back.
"""

from collections.abc import Iterable
from typing import Any

import yaml
from django.db.models import Prefetch, QuerySet

from quiz.models import Question, Quiz
from quiz.selectors import quiz_lesson_slug
from quiz.validation import derived_subject

DEFAULT_POSITION = 100  # the importer's position for a quiz without one
WIDTH = 92  # plain text wraps after this column, so lines stay within about 100


class UnknownQuiz(LookupError):
    """No quiz has the slug asked for; the message lists the ones there are."""


class _FlowList(list):
    """A short list of scalars written inline, as in `codes: [401, 403]`."""


class _Dumper(yaml.SafeDumper):
    """Block style with indented sequences, literal `|` blocks for multi-line text, no aliases."""

    def increase_indent(self, flow: bool = False, indentless: bool = False):
        return super().increase_indent(flow, False)

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _represent_str(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    # The emitter falls back to a quoted style when a block cannot hold the text exactly.
    return dumper.represent_scalar(
        "tag:yaml.org,2002:str", text, style="|" if "\n" in text else None
    )


def _represent_flow_list(dumper: yaml.SafeDumper, items: _FlowList) -> yaml.SequenceNode:
    return dumper.represent_sequence("tag:yaml.org,2002:seq", items, flow_style=True)


_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(_FlowList, _represent_flow_list)


def _lines(text: str) -> str:
    return str(text or "").replace("\r\n", "\n").replace("\r", "\n")


def _text(text: str) -> str:
    """Trimmed as the importer trims; a multi-line text ends in a newline to be written `|`."""
    text = _lines(text).strip()
    return text + "\n" if "\n" in text else text


def _code(text: str) -> str:
    """A snippet keeps its leading indentation; the importer only trims its end."""
    text = _lines(text).rstrip()
    return text + "\n" if "\n" in text else text


def question_data(question: Question) -> dict[str, Any]:
    """One question as the mapping the importer reads (keys in the shipped files' order)."""
    data: dict[str, Any] = {
        "slug": question.slug,
        "type": question.type,
        "prompt": _text(question.prompt),
    }
    if question.snippet_language.strip() or question.snippet_code.strip():
        data["snippet"] = {
            "language": _text(question.snippet_language),
            "code": _code(question.snippet_code),
        }
    choices = []
    for choice in question.choices.all():
        if choice.is_retired:  # kept for old results; not part of the question any more
            continue
        item: dict[str, Any] = {"key": choice.key, "text": _text(choice.text)}
        if choice.correct:
            item["correct"] = True
        if choice.why.strip():
            item["why"] = _text(choice.why)
        choices.append(item)
    if choices:
        data["choices"] = choices
    answer = {
        Question.Type.CODE: question.answer_code,
        Question.Type.TRUEFALSE: question.answer_bool,
    }.get(question.type)
    if answer is not None:
        data["answer"] = answer
    if question.wrong_codes:
        data["wrong_codes"] = {
            int(code): _text(why) for code, why in sorted(question.wrong_codes.items())
        }
    data["explanation"] = _text(question.explanation)
    codes = sorted(code.code for code in question.codes.all())
    subject = sorted(code.code for code in question.subject.all())
    default = derived_subject(
        type=question.type,
        answer_code=question.answer_code,
        choices=[{"text": c["text"], "correct": c.get("correct")} for c in choices],
        codes=codes,
    )
    if subject != sorted(default):  # left out where the importer would derive the same
        data["subject"] = _FlowList(subject)
    if codes:
        data["codes"] = _FlowList(codes)
    if question.variant_of_id:
        data["variant_of"] = question.variant_of.slug
    if question.lesson_id:
        data["lesson"] = question.lesson.slug
    if question.difficulty != 1:
        data["difficulty"] = question.difficulty
    if not question.published:
        data["published"] = False
    if question.lint_silenced:
        data["lint"] = {rule: _text(why) for rule, why in sorted(question.lint_silenced.items())}
    return data


def quiz_data(quiz: Quiz) -> dict[str, Any]:
    """One quiz as an item of the `quizzes:` list, naming its questions by slug."""
    data: dict[str, Any] = {"slug": quiz.slug}
    if quiz.position != DEFAULT_POSITION:
        data["position"] = quiz.position
    data["title"] = _text(quiz.title)
    if quiz.description.strip():
        data["description"] = _text(quiz.description)
    if quiz.draws_from_all:
        data["pool"] = "all"
    for name in ("draw", "minutes"):
        if getattr(quiz, name) is not None:
            data[name] = getattr(quiz, name)
    slugs = sorted(question.slug for question in quiz.questions.all())
    lesson = quiz.lesson.slug if quiz.lesson_id else None
    if lesson != quiz_lesson_slug(slugs):  # left out where the importer derives the same
        data["lesson"] = lesson
    if not quiz.published:
        data["published"] = False
    if slugs:
        data["questions"] = slugs
    return data


def _spaced(text: str) -> str:
    """A blank line before each top-level key and each top-level list item but the first."""
    lines = text.splitlines(keepends=True)
    out: list[str] = []
    for index, line in enumerate(lines):
        top_key = index > 0 and line[:1].isalpha()
        next_item = line.startswith("  - ") and lines[index - 1] not in (
            "quizzes:\n",
            "questions:\n",
        )
        if top_key or next_item:
            out.append("\n")
        out.append(line)
    return "".join(out)


def _load(text: str) -> Any:
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def dump(document: dict[str, Any]) -> str:
    """YAML text for a question-file document, in the house style."""
    text = yaml.dump(
        document,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=WIDTH,
    )
    spaced = _spaced(text)
    # The blank lines are cosmetic; never let them change what the file says.
    return spaced if _load(spaced) == _load(text) else text


def questions_yaml(questions: Iterable[Question], quizzes: Iterable[Quiz] | None = None) -> str:
    """A question file with these questions (by slug) and, if given, these quizzes.

    Without quizzes the file has only `questions:`, and importing it changes no quiz. A quiz
    lists all its questions, exported or not, since an import gives it exactly that list.
    """
    if isinstance(questions, QuerySet):
        questions = questions.select_related("lesson", "variant_of").prefetch_related(
            "choices", "codes", "subject"
        )
    questions = sorted(questions, key=lambda question: question.slug)
    document: dict[str, Any] = {}
    if quizzes is not None:
        if isinstance(quizzes, QuerySet):
            quizzes = quizzes.prefetch_related(
                Prefetch("questions", queryset=Question.objects.only("slug"))
            )
        ordered = sorted(quizzes, key=lambda quiz: (quiz.position, quiz.slug))
        if ordered:
            document["quizzes"] = [quiz_data(quiz) for quiz in ordered]
    document["questions"] = [question_data(question) for question in questions]
    return dump(document)


def with_variant_targets(questions: QuerySet[Question]) -> QuerySet[Question]:
    """These questions and every question they are variants of (following `variant_of`), so a
    file of them imports on its own: the importer refuses a `variant_of` it cannot resolve."""
    ids = set(questions.values_list("id", flat=True))
    parents = dict(Question.objects.exclude(variant_of=None).values_list("id", "variant_of_id"))
    frontier = ids
    while frontier:
        frontier = {parents[pk] for pk in frontier if pk in parents} - ids
        ids |= frontier
    return Question.objects.filter(pk__in=ids)


def bank(quiz_slug: str | None = None) -> tuple[QuerySet[Question], QuerySet[Quiz]]:
    """The questions and quizzes of the whole bank, or of one quiz (all questions if it draws
    from all) with the questions its questions are variants of. Raises UnknownQuiz for a slug
    no quiz has."""
    if quiz_slug is None:
        return Question.objects.all(), Quiz.objects.all()
    quiz = Quiz.objects.filter(slug=quiz_slug).first()
    if quiz is None:
        known = ", ".join(Quiz.objects.order_by("slug").values_list("slug", flat=True))
        raise UnknownQuiz(f"No quiz has the slug '{quiz_slug}'. Quizzes: {known or '(none)'}.")
    questions = Question.objects.all() if quiz.draws_from_all else quiz.questions.all()
    return with_variant_targets(questions), Quiz.objects.filter(pk=quiz.pk)


def bank_yaml(quiz_slug: str | None = None) -> str:
    """The whole bank, or one quiz with its questions, as one question file."""
    return questions_yaml(*bank(quiz_slug))
