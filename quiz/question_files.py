"""Question files read and checked: each question and quiz in its parsed form, and every problem
named by file, question slug and field. Nothing here writes; `quiz.importer` does."""

import re
from dataclasses import dataclass, field
from typing import Any

from learn import safe_yaml
from learn.models import Lesson, StatusCode
from quiz.models import Question
from quiz.validation import derived_subject, question_problems

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
CHOICE_KEY = re.compile(r"^[a-z0-9][a-z0-9-]{0,19}$")
LINT_RULE = re.compile(r"^[a-z][a-z0-9-]{0,39}$")
QUESTION_KEYS = {
    "slug", "type", "prompt", "snippet", "choices", "answer", "wrong_codes", "explanation",
    "subject", "codes", "variant_of", "lesson", "difficulty", "published", "lint",
}  # fmt: skip
QUIZ_KEYS = {
    "slug", "title", "description", "position", "draw", "minutes", "pool", "lesson", "published",
}  # fmt: skip


@dataclass(frozen=True)
class ParsedChoice:
    key: str  # "" when the file gives none: matched by text, or given a new key
    text: str
    correct: bool
    why: str


@dataclass
class ParsedQuestion:
    slug: str
    fields: dict[str, Any]
    choices: list[ParsedChoice]
    codes: list[int]
    subject: list[int]
    lesson: str | None
    variant_of: str | None = None


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
        for key in sorted(set(choice) - {"key", "text", "correct", "why"}):
            problems.append(f"{where}: choices: choice {number} has an unknown field '{key}'")
        if not isinstance(choice.get("correct", False), bool):
            problems.append(f"{where}: choices: choice {number}: 'correct' must be true or false")
        key = _text(choice.get("key"))
        if key and not CHOICE_KEY.match(key):
            problems.append(
                f"{where}: choices: choice {number}: key: use up to 20 lowercase letters, "
                "digits and hyphens"
            )
        elif key and key in {c.key for c in choices}:
            problems.append(f"{where}: choices: choice {number}: key: '{key}' is used twice")
        choices.append(
            ParsedChoice(
                key=key,
                text=_text(choice.get("text")),
                correct=bool(choice.get("correct")),
                why=_text(choice.get("why")),
            )
        )
    answer = raw.get("answer")
    difficulty = raw.get("difficulty", 1)
    for name, message in question_problems(
        type=qtype,
        prompt=raw.get("prompt"),
        explanation=raw.get("explanation"),
        choices=[{"text": c.text, "correct": c.correct} for c in choices],
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
    codes = _code_list(raw.get("codes"), "codes", where, problems)
    subject = _code_list(raw.get("subject"), "subject", where, problems)
    if "subject" not in raw:
        subject = derived_subject(
            type=qtype,
            answer_code=answer if qtype == "code" else None,
            choices=[{"text": c.text, "correct": c.correct} for c in choices],
            codes=codes,
        )
        if not subject and qtype in ("single", "multiple", "truefalse", "code"):
            problems.append(
                f"{where}: subject: name the code(s) this question asks about, e.g. "
                f"subject: [{codes[0] if codes else 403}] (it can be left out only when the "
                "answer is a code or the question mentions one code)"
            )
    elif not subject:
        problems.append(f"{where}: subject: name at least one code the question asks about")
    codes += [code for code in subject if code not in codes]  # a subject is mentioned too
    wrong_codes = _wrong_codes(raw.get("wrong_codes"), qtype, answer, where, problems)
    lint = raw.get("lint") or {}
    if not isinstance(lint, dict) or not all(
        isinstance(rule, str) and LINT_RULE.match(rule) and isinstance(why, str) and why.strip()
        for rule, why in lint.items()
    ):
        problems.append(
            f'{where}: lint: a mapping of rule to reason, e.g. lint: {{long-key: "why the key '
            'must be longer"}}'
        )
        lint = {}
    variant_of = raw.get("variant_of")
    if variant_of is not None and (not isinstance(variant_of, str) or variant_of == slug):
        problems.append(f"{where}: variant_of: the slug of another question")
        variant_of = None
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
            "wrong_codes": wrong_codes,
            "lint_silenced": {rule: why.strip() for rule, why in lint.items()},
        },
        choices=choices,
        codes=codes,
        subject=subject,
        lesson=lesson,
        variant_of=variant_of,
    )


def _code_list(value: Any, name: str, where: str, problems: list[str]) -> list[int]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(
        isinstance(c, int) and not isinstance(c, bool) for c in value
    ):
        problems.append(f"{where}: {name}: must be a list of status codes such as [401, 403]")
        return []
    return list(dict.fromkeys(value))


def _wrong_codes(
    value: Any, qtype: Any, answer: Any, where: str, problems: list[str]
) -> dict[str, str]:
    """{code: why} for a code question's likely wrong answers, stored with text keys (JSON)."""
    if value is None:
        return {}
    if qtype != "code":
        problems.append(f"{where}: wrong_codes: only a code question has wrong codes to explain")
        return {}
    if not isinstance(value, dict):
        problems.append(f'{where}: wrong_codes: a mapping of code to why, e.g. {{401: "…"}}')
        return {}
    result = {}
    for code, why in value.items():
        if isinstance(code, bool) or not isinstance(code, int) or not 100 <= code <= 599:
            problems.append(f"{where}: wrong_codes: {code!r} is not a status code from 100 to 599")
        elif code == answer:
            problems.append(f"{where}: wrong_codes: {code} is the right answer")
        elif not isinstance(why, str) or not why.strip():
            problems.append(f"{where}: wrong_codes: {code}: say why it is wrong")
        else:
            result[str(code)] = why.strip()
    return result


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
    lesson = raw.get("lesson")
    if lesson is not None and not isinstance(lesson, str):
        problems.append(f"{where}: lesson: must be a lesson slug")
    elif lesson is not None:
        fields["lesson"] = lesson  # a slug here; the lesson itself once the lessons are known
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
            document = safe_yaml.load(text, name=name)
        except safe_yaml.YamlProblem as error:
            problems.append(str(error))
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
    variants = {q.variant_of for parsed in files for q in parsed.questions if q.variant_of}
    known_questions = set(seen) | set(
        Question.objects.filter(slug__in=variants - set(seen)).values_list("slug", flat=True)
    )
    for parsed in files:
        for quiz in parsed.all_quizzes():
            slug = quiz.fields.get("lesson")
            if slug and slug not in lessons:
                problems.append(f"{quiz.where}: lesson: no lesson has the slug '{slug}'")
        for question in parsed.questions:
            where = f"{parsed.name}: {question.slug}"
            if question.lesson and question.lesson not in lessons:
                problems.append(f"{where}: lesson: no lesson has the slug '{question.lesson}'")
            for code in question.codes:
                if code not in codes:
                    problems.append(f"{where}: codes: {code} is not a status code we know")
            if question.variant_of and question.variant_of not in known_questions:
                problems.append(
                    f"{where}: variant_of: no question has the slug '{question.variant_of}'"
                )
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
