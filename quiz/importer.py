"""Question files in and out: one importer for the CLI, load_content and the admin."""

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction

from learn.models import Lesson, StatusCode
from learn.services import LoadResult, count_outcome, upsert
from quiz.models import Choice, Question, Quiz
from quiz.validation import question_problems

CONTENT_DIR = Path(__file__).resolve().parent / "content"
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
QUESTION_KEYS = {
    "slug", "type", "prompt", "snippet", "choices", "answer", "explanation", "codes", "lesson",
    "difficulty", "published",
}  # fmt: skip
QUIZ_KEYS = {"slug", "title", "description", "position", "draw", "minutes", "pool", "published"}


class QuestionFileError(Exception):
    """The files have problems; `problems` names file, question slug and field. Nothing changed."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass
class ParsedQuestion:
    slug: str
    fields: dict[str, Any]
    choices: list[tuple[str, bool, str]]
    codes: list[int]
    lesson: str | None


@dataclass
class ParsedQuiz:
    slug: str
    fields: dict[str, Any]
    where: str  # "file: quiz" or "file: quizzes: slug", the start of its problems
    question_slugs: list[str] | None = None  # None: the questions of its own file


@dataclass
class ParsedFile:
    name: str
    quiz: ParsedQuiz | None = None  # the single `quiz:` form
    quizzes: list[ParsedQuiz] = field(default_factory=list)  # the `quizzes:` form
    questions: list[ParsedQuestion] = field(default_factory=list)

    def all_quizzes(self) -> list[ParsedQuiz]:
        return [self.quiz] if self.quiz else self.quizzes


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _parse_question(raw: Any, where: str, problems: list[str]) -> ParsedQuestion | None:
    if not isinstance(raw, dict):
        problems.append(f"{where}: each question must be a mapping of fields")
        return None
    slug = _text(raw.get("slug"))
    where = f"{where}: {slug or '(no slug)'}"
    if not slug:
        problems.append(f"{where}: slug: is required")
        return None
    if not SLUG.match(slug):
        problems.append(f"{where}: slug: use lowercase letters, digits and hyphens")
    for key in sorted(set(raw) - QUESTION_KEYS):
        problems.append(f"{where}: {key}: unknown field")
    qtype = raw.get("type")
    choices_raw = raw.get("choices") or []
    if not isinstance(choices_raw, list) or not all(isinstance(c, dict) for c in choices_raw):
        problems.append(f"{where}: choices: must be a list of {{text, correct, why}} mappings")
        choices_raw = []
    choices = []
    for number, choice in enumerate(choices_raw, start=1):
        for key in sorted(set(choice) - {"text", "correct", "why"}):
            problems.append(f"{where}: choices: choice {number} has an unknown field '{key}'")
        if not isinstance(choice.get("correct", False), bool):
            problems.append(f"{where}: choices: choice {number}: 'correct' must be true or false")
        choices.append(
            (_text(choice.get("text")), bool(choice.get("correct")), _text(choice.get("why")))
        )
    answer = raw.get("answer")
    difficulty = raw.get("difficulty", 1)
    for name, message in question_problems(
        type=qtype,
        prompt=raw.get("prompt"),
        explanation=raw.get("explanation"),
        choices=[{"text": t, "correct": c} for t, c, _ in choices],
        answer_code=answer if qtype == "code" else None,
        answer_bool=answer if qtype == "truefalse" else None,
        difficulty=difficulty,
    ).items():
        problems.append(f"{where}: {name}: {message}")
    if qtype in ("single", "multiple") and answer is not None:
        problems.append(f"{where}: answer: a {qtype} question is answered by its choices")
    snippet = raw.get("snippet") or {}
    if not isinstance(snippet, dict) or (snippet and set(snippet) != {"language", "code"}):
        problems.append(f"{where}: snippet: needs exactly 'language' and 'code'")
        snippet = {}
    codes = raw.get("codes") or []
    if not isinstance(codes, list) or not all(
        isinstance(c, int) and not isinstance(c, bool) for c in codes
    ):
        problems.append(f"{where}: codes: must be a list of status codes such as [401, 403]")
        codes = []
    lesson = raw.get("lesson")
    if lesson is not None and not isinstance(lesson, str):
        problems.append(f"{where}: lesson: must be a lesson slug")
        lesson = None
    published = raw.get("published", True)
    if not isinstance(published, bool):
        problems.append(f"{where}: published: must be true or false")
    return ParsedQuestion(
        slug=slug,
        fields={
            "type": qtype,
            "prompt": _text(raw.get("prompt")),
            "snippet_language": _text(snippet.get("language")),
            "snippet_code": str(snippet.get("code") or "").rstrip(),
            "answer_code": answer if qtype == "code" else None,
            "answer_bool": answer if qtype == "truefalse" else None,
            "explanation": _text(raw.get("explanation")),
            "difficulty": difficulty,
            "published": published is not False,
        },
        choices=choices,
        codes=codes,
        lesson=lesson,
    )


def _parse_quiz(
    raw: Any, where: str, problems: list[str], *, keys: set[str] = QUIZ_KEYS
) -> ParsedQuiz | None:
    """One quiz mapping; `where` is "file: quiz" or "file: quizzes: slug"."""
    if not isinstance(raw, dict):
        problems.append(f"{where}: must be a mapping with slug and title")
        return None
    for key in sorted(set(raw) - keys):
        problems.append(f"{where}: {key}: unknown field")
    slug, title = _text(raw.get("slug")), _text(raw.get("title"))
    if not slug or not SLUG.match(slug):
        problems.append(f"{where}: slug: is required (lowercase letters, digits, hyphens)")
    if not title:
        problems.append(f"{where}: title: is required")
    for name in ("position", "draw", "minutes"):
        value = raw.get(name)
        if value is not None and (
            isinstance(value, bool) or not isinstance(value, int) or value < 1
        ):
            problems.append(f"{where}: {name}: must be a positive whole number")
    if raw.get("pool") not in (None, "all"):
        problems.append(f"{where}: pool: the only value is 'all'")
    fields = {
        "title": title,
        "description": _text(raw.get("description")),
        "position": raw.get("position") or 100,
        "draw": raw.get("draw"),
        "minutes": raw.get("minutes"),
        "draws_from_all": raw.get("pool") == "all",
    }
    if "published" in raw:  # absent: a new quiz is published, an existing one keeps its flag
        if not isinstance(raw["published"], bool):
            problems.append(f"{where}: published: must be true or false")
        fields["published"] = raw["published"] is not False
    return ParsedQuiz(slug=slug, fields=fields, where=where)


def _parse_quizzes(raw: Any, name: str, problems: list[str]) -> list[ParsedQuiz]:
    """The `quizzes:` form: several quizzes, each naming its questions by slug."""
    if not isinstance(raw, list):
        problems.append(f"{name}: quizzes: must be a list of quizzes")
        return []
    quizzes = []
    for number, item in enumerate(raw, start=1):
        label = _text(item.get("slug")) if isinstance(item, dict) else ""
        where = f"{name}: quizzes: {label or f'quiz {number}'}"
        quiz = _parse_quiz(item, where, problems, keys=QUIZ_KEYS | {"questions"})
        if quiz is None:
            continue
        listed = item.get("questions")
        if listed is None:
            listed = []
        if not isinstance(listed, list):
            problems.append(f"{where}: questions: must be a list of question slugs")
            listed = []
        quiz.question_slugs = []
        for position, slug in enumerate(listed, start=1):
            if isinstance(slug, bool) or not isinstance(slug, str | int):
                problems.append(
                    f"{where}: questions: item {position} must be a question slug "
                    "(questions themselves go in the top-level 'questions:' list)"
                )
            elif str(slug) in quiz.question_slugs:
                problems.append(f"{where}: questions: '{slug}' is listed twice")
            else:
                quiz.question_slugs.append(str(slug))
        quizzes.append(quiz)
    return quizzes


def parse_files(sources: list[tuple[str, str]]) -> tuple[list[ParsedFile], list[str]]:
    """Parse and validate (name, text) pairs; return the files and every problem found."""
    problems: list[str] = []
    files: list[ParsedFile] = []
    for name, text in sources:
        try:
            document = yaml.safe_load(text)
        except yaml.YAMLError as error:
            problems.append(f"{name}: not valid YAML: {str(error).splitlines()[0]}")
            continue
        if not isinstance(document, dict) or set(document) - {"quiz", "quizzes", "questions"}:
            problems.append(
                f"{name}: expected top-level 'quiz:' or 'quizzes:' (optional) and 'questions:' only"
            )
            continue
        parsed = ParsedFile(name=name)
        if "quiz" in document and "quizzes" in document:
            problems.append(f"{name}: use either 'quiz:' or 'quizzes:', not both")
        elif "quiz" in document:
            parsed.quiz = _parse_quiz(document["quiz"], f"{name}: quiz", problems)
        elif "quizzes" in document:
            parsed.quizzes = _parse_quizzes(document["quizzes"], name, problems)
        raw_questions = document.get("questions") or []
        if not isinstance(raw_questions, list):
            problems.append(f"{name}: questions: must be a list")
            raw_questions = []
        for raw in raw_questions:
            question = _parse_question(raw, name, problems)
            if question:
                parsed.questions.append(question)
        files.append(parsed)

    seen: dict[str, str] = {}
    for parsed in files:
        for question in parsed.questions:
            if question.slug in seen:
                problems.append(
                    f"{parsed.name}: {question.slug}: slug: also used in {seen[question.slug]}"
                )
            seen[question.slug] = parsed.name
    _check_quizzes(files, set(seen), problems)
    lessons = set(Lesson.objects.values_list("slug", flat=True))
    codes = set(StatusCode.objects.values_list("code", flat=True))
    for parsed in files:
        for question in parsed.questions:
            where = f"{parsed.name}: {question.slug}"
            if question.lesson and question.lesson not in lessons:
                problems.append(f"{where}: lesson: no lesson has the slug '{question.lesson}'")
            for code in question.codes:
                if code not in codes:
                    problems.append(f"{where}: codes: {code} is not a status code we know")
    return files, problems


def _check_quizzes(files: list[ParsedFile], in_files: set[str], problems: list[str]) -> None:
    """Quiz slugs are unique across the import; listed questions exist here or in the database."""
    quizzes = [quiz for parsed in files for quiz in parsed.all_quizzes()]
    defined_in: dict[str, str] = {}
    for parsed in files:
        for quiz in parsed.all_quizzes():
            if quiz.slug in defined_in:
                problems.append(
                    f"{quiz.where}: slug: the quiz '{quiz.slug}' is also defined in "
                    f"{defined_in[quiz.slug]}"
                )
            elif quiz.slug:
                defined_in[quiz.slug] = parsed.name
    listed = {slug for quiz in quizzes for slug in quiz.question_slugs or []}
    known = in_files | set(
        Question.objects.filter(slug__in=listed - in_files).values_list("slug", flat=True)
    )
    for quiz in quizzes:
        for slug in quiz.question_slugs or []:
            if slug not in known:
                problems.append(
                    f"{quiz.where}: questions: no question has the slug '{slug}' "
                    "(neither in the files nor in the database)"
                )


def _upsert_question(
    question: ParsedQuestion, lessons: dict[str, Lesson], codes
) -> tuple[str, bool]:
    fields = dict(question.fields, lesson=lessons.get(question.lesson))
    instance, outcome = upsert(Question, {"slug": question.slug}, fields)
    choices_changed = [(c.text, c.correct, c.why) for c in instance.choices.all()] != (
        question.choices
    )
    if choices_changed:
        instance.choices.all().delete()
        Choice.objects.bulk_create(
            Choice(question=instance, position=i, text=t, correct=c, why=w)
            for i, (t, c, w) in enumerate(question.choices)
        )
    codes_changed = set(instance.codes.values_list("code", flat=True)) != set(question.codes)
    if codes_changed:
        instance.codes.set([codes[c] for c in question.codes])
    return outcome, choices_changed or codes_changed


@transaction.atomic
def questions_import(sources: list[tuple[str, str]], *, dry_run: bool = False) -> list[LoadResult]:
    """Import question files all or nothing; with dry_run, report and roll back."""
    files, problems = parse_files(sources)
    if problems:
        raise QuestionFileError(problems)
    lessons = Lesson.objects.in_bulk(field_name="slug")
    codes = StatusCode.objects.in_bulk(field_name="code")
    question_result, quiz_result = LoadResult("Questions"), LoadResult("Quizzes")
    for parsed in files:
        for question in parsed.questions:
            count_outcome(question_result, *_upsert_question(question, lessons, codes))
    for parsed in files:  # after every question, so a quiz may list questions of any file
        for quiz in parsed.all_quizzes():
            slugs = quiz.question_slugs
            if slugs is None:
                slugs = [question.slug for question in parsed.questions]
            _upsert_quiz(quiz, slugs, quiz_result)
    if dry_run:
        transaction.set_rollback(True)
    return [question_result, quiz_result]


def _upsert_quiz(data: ParsedQuiz, slugs: list[str], result: LoadResult) -> None:
    quiz, outcome = upsert(Quiz, {"slug": data.slug}, data.fields)
    wanted = set(Question.objects.filter(slug__in=slugs).values_list("id", flat=True))
    questions_changed = set(quiz.questions.values_list("id", flat=True)) != wanted
    if questions_changed:
        quiz.questions.set(wanted)
    count_outcome(result, outcome, questions_changed)


def read_sources(paths: list[Path]) -> list[tuple[str, str]]:
    return [(path.name, path.read_text(encoding="utf-8")) for path in paths]


def content_load() -> list[LoadResult]:
    """`load_content`'s hook: import every shipped question file."""
    from learn.services import ContentError

    try:
        return questions_import(read_sources(sorted(CONTENT_DIR.glob("*.yaml"))))
    except QuestionFileError as error:
        raise ContentError(error.problems) from error
