"""Question files into the database, all or nothing: one importer for the CLI, load_content
and the admin. It updates in place: choices keep their identity, and what learners answered
is retired, never deleted."""

from pathlib import Path

from django.db import transaction
from django.utils import timezone

from learn import safe_yaml
from learn.models import Lesson, StatusCode
from learn.services import ContentError, LoadResult, count_outcome, upsert
from quiz.caching import questions_touched
from quiz.models import AnswerChoice, Choice, Question, Quiz
from quiz.question_files import ParsedChoice, ParsedQuestion, ParsedQuiz, parse_files
from quiz.selectors import quiz_lesson_slug
from quiz.validation import choice_key

CONTENT_DIR = Path(__file__).resolve().parent / "content"


def _upsert_question(
    question: ParsedQuestion, lessons: dict[str, Lesson], codes, result: LoadResult, dry_run: bool
) -> tuple[Question, str, bool]:
    fields = dict(question.fields, lesson=lessons.get(question.lesson))
    instance, outcome = upsert(Question, {"slug": question.slug}, fields)
    choices_changed = _sync_choices(instance, question.choices, result, dry_run)
    codes_changed = set(instance.codes.values_list("code", flat=True)) != set(question.codes)
    if codes_changed:
        instance.codes.set([codes[c] for c in question.codes])
    subject_changed = set(instance.subject.values_list("code", flat=True)) != set(question.subject)
    if subject_changed:
        instance.subject.set([codes[c] for c in question.subject])
    return instance, outcome, choices_changed or codes_changed or subject_changed


def _sync_choices(
    question: Question, wanted: list[ParsedChoice], result: LoadResult, dry_run: bool
) -> bool:
    """Update the question's choices in place, matched by key, else by text.

    A matched choice keeps its row, so every learner's pick of it stays. An existing choice
    the file no longer has is deleted if nobody picked it, and retired if someone did: new
    attempts stop showing it, old results still do. Returns whether anything changed.
    """
    existing = list(Choice.objects.filter(question=question).order_by("position", "id"))
    by_key = {choice.key: choice for choice in existing}
    matches: dict[int, Choice] = {}
    for index, choice in enumerate(wanted):
        if choice.key and choice.key in by_key:
            matches[index] = by_key.pop(choice.key)
    for index, choice in enumerate(wanted):
        if index not in matches:
            same_text = next((c for c in by_key.values() if c.text == choice.text), None)
            if same_text is not None:
                matches[index] = by_key.pop(same_text.key)
    left_over = list(by_key.values())
    picked = set(
        AnswerChoice.objects.filter(choice__in=left_over).values_list("choice_id", flat=True)
    )
    changed = False
    for choice in left_over:
        if choice.pk not in picked:
            choice.delete()
            changed = True
        elif choice.retired_at is None:
            choice.retired_at = timezone.now()
            choice.save(update_fields=["retired_at"])
            changed = True
            result.notes.append(
                f"{question.slug}: the choice “{choice.text}” was picked by learners, so it "
                f"{'would be' if dry_run else 'is'} retired: their results keep it, new attempts "
                "no longer show it."
            )
    # Keys named in the file win; a matched choice keeps its own unless the file gave that key
    # to another choice; a retired choice keeps its key for good.
    reserved = {w.key for w in wanted if w.key} | {c.key for c in left_over if c.pk in picked}
    final_keys: list[str] = []
    for index, choice in enumerate(wanted):
        key = choice.key
        if not key and index in matches and matches[index].key not in reserved:
            key = matches[index].key
        if not key or key in final_keys:
            key = _free_key(reserved | set(final_keys))
        final_keys.append(key)
    # Keys may move between rows: park the changing ones first (one key per question).
    moving = [m for i, m in matches.items() if m.key != final_keys[i]]
    for row in moving:
        Choice.objects.filter(pk=row.pk).update(key=f"~{row.pk}")
    for index, choice in enumerate(wanted):
        values = {
            "key": final_keys[index],
            "position": index,
            "text": choice.text,
            "correct": choice.correct,
            "why": choice.why,
            "retired_at": None,
        }
        row = matches.get(index)
        if row is None:
            Choice.objects.create(question=question, **values)
            changed = True
        elif row in moving or any(getattr(row, k) != v for k, v in values.items()):
            Choice.objects.filter(pk=row.pk).update(**values)
            changed = True
    return changed


def _free_key(taken: set[str]) -> str:
    index = 0
    while choice_key(index) in taken:
        index += 1
    return choice_key(index)


@transaction.atomic
def questions_import(sources: list[tuple[str, str]], *, dry_run: bool = False) -> list[LoadResult]:
    """Import question files all or nothing; with dry_run, report and roll back."""
    files, problems = parse_files(sources)
    if problems:
        raise ContentError(problems)
    lessons = Lesson.objects.in_bulk(field_name="slug")
    codes = StatusCode.objects.in_bulk(field_name="code")
    question_result, quiz_result = LoadResult("Questions"), LoadResult("Quizzes")
    imported: dict[str, tuple[Question, str, bool]] = {}
    for parsed in files:
        for question in parsed.questions:
            imported[question.slug] = _upsert_question(
                question, lessons, codes, question_result, dry_run
            )
    for parsed in files:  # variants may name a question further down, or in another file
        for question in parsed.questions:
            instance, outcome, changed = imported[question.slug]
            variant_of = (
                Question.objects.get(slug=question.variant_of) if question.variant_of else None
            )
            if instance.variant_of_id != (variant_of.pk if variant_of else None):
                Question.objects.filter(pk=instance.pk).update(variant_of=variant_of)
                changed = True
            count_outcome(question_result, outcome, changed)
    for parsed in files:  # after every question, so a quiz may list questions of any file
        for quiz in parsed.all_quizzes():
            slugs = quiz.question_slugs
            if slugs is None:
                slugs = [question.slug for question in parsed.questions]
            _upsert_quiz(quiz, slugs, lessons, quiz_result)
    if dry_run:
        transaction.set_rollback(True)
    else:  # choices and links were written with update(): no signal said so
        questions_touched(q.pk for q, _, changed in imported.values() if changed)
    return [question_result, quiz_result]


def _upsert_quiz(
    data: ParsedQuiz, slugs: list[str], lessons: dict[str, Lesson], result: LoadResult
) -> None:
    fields = dict(data.fields)
    fields["lesson"] = lessons.get(fields.pop("lesson", None) or quiz_lesson_slug(slugs))
    quiz, outcome = upsert(Quiz, {"slug": data.slug}, fields)
    wanted = set(Question.objects.filter(slug__in=slugs).values_list("id", flat=True))
    questions_changed = set(quiz.questions.values_list("id", flat=True)) != wanted
    if questions_changed:
        quiz.questions.set(wanted)
    count_outcome(result, outcome, questions_changed)


def read_sources(paths: list[Path]) -> list[tuple[str, str]]:
    """(name, text) of each file; one too large to be a question file is refused unread."""
    too_large = [
        f"{path.name} is {path.stat().st_size / 1_000_000:.1f} MB: content files are at most "
        f"{safe_yaml.MAX_BYTES // 1000:,} KB"
        for path in paths
        if path.stat().st_size > safe_yaml.MAX_BYTES
    ]
    if too_large:
        raise ContentError(too_large)
    return [(path.name, path.read_text(encoding="utf-8")) for path in paths]


def content_load() -> list[LoadResult]:
    """`load_content`'s hook: import every shipped question file."""
    return questions_import(read_sources(sorted(CONTENT_DIR.glob("*.yaml"))))
