"""What answers say about a learner: evidence per status code, and their own confusions.

An answer is evidence about its question's *subject* codes only (the codes it asks about), never
about the codes it merely mentions as distractors. A wrong answer that names another code (a
typed code, or a choice that starts with one) is a confusion: subject → the code given.

Both are kept up to date in the answer's own transaction, one upsert each, so the dashboard
reads a row per code instead of aggregating the learner's whole history. When subjects change
(an import, the admin), `evidence_rebuild` recomputes the learners concerned from their answers.
"""

import re
from collections.abc import Iterable
from datetime import datetime

from django.db import connection, transaction

from quiz.models import Answer, Question
from quiz.progress.freshness import learner_changed
from quiz.progress.models import CodeEvidence, Confusion, Learner

WINDOW = 5  # mastery looks at the latest five answers per code, the newest weighing most
LEADING_CODE = re.compile(r"^`?([1-5]\d\d)\b")


def subject_codes(question: Question) -> list[int]:
    """The question's subject codes (prefetch `subject` to keep this free)."""
    return sorted(code.code for code in question.subject.all())


def given_codes(question: Question, *, code: int | None, choices: Iterable) -> set[int]:
    """The codes an answer named: a typed code, or the codes the picked choices start with."""
    if question.type == Question.Type.CODE:
        return {code} if code is not None else set()
    found = set()
    for choice in choices:
        match = LEADING_CODE.match(choice.text)
        if match:
            found.add(int(match.group(1)))
    return found


def evidence_record(
    *, learner: Learner, question: Question, correct: bool, given: set[int], when: datetime
) -> None:
    """Count one answer for the question's subject codes, and any confusion it shows."""
    subjects = subject_codes(question)
    if not subjects:
        return
    mark = "R" if correct else "W"
    table = CodeEvidence._meta.db_table
    rows = [(learner.pk, code, int(correct), mark, when) for code in subjects]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (learner_id, code, answered, correct, recent, last_at) VALUES "
            + ", ".join(["(%s, %s, 1, %s, %s, %s)"] * len(rows))
            + " ON CONFLICT (learner_id, code) DO UPDATE SET "
            f"answered = {table}.answered + 1, correct = {table}.correct + excluded.correct, "
            f"recent = substr(excluded.recent || {table}.recent, 1, {WINDOW}), "
            "last_at = excluded.last_at",
            [value for row in rows for value in row],
        )
        mixups = [(s, p) for s in subjects for p in sorted(given - set(subjects))]
        if correct or not mixups:
            return
        table = Confusion._meta.db_table
        cursor.execute(
            f"INSERT INTO {table} (learner_id, subject, picked, count, last_at) VALUES "
            + ", ".join(["(%s, %s, %s, 1, %s)"] * len(mixups))
            + f" ON CONFLICT (learner_id, subject, picked) DO UPDATE SET count = {table}.count + 1,"
            " last_at = excluded.last_at",
            [value for s, p in mixups for value in (learner.pk, s, p, when)],
        )


@transaction.atomic
def evidence_rebuild(learner_ids: Iterable[int]) -> int:
    """Recompute the evidence and confusions of these learners from their answers (after
    subjects changed, or a merge); how many learners were rebuilt."""
    ids = sorted(set(learner_ids))
    CodeEvidence.objects.filter(learner_id__in=ids).delete()
    Confusion.objects.filter(learner_id__in=ids).delete()
    evidence: dict[tuple[int, int], CodeEvidence] = {}
    confusions: dict[tuple[int, int, int], Confusion] = {}
    answers = (
        Answer.objects.filter(attempt__learner_id__in=ids)
        .select_related("attempt", "question")
        .prefetch_related("question__subject", "choices")
        .order_by("answered_at", "id")
        .iterator(chunk_size=500)
    )
    for answer in answers:
        learner_id = answer.attempt.learner_id
        subjects = subject_codes(answer.question)
        for code in subjects:
            row = evidence.setdefault(
                (learner_id, code),
                CodeEvidence(learner_id=learner_id, code=code, last_at=answer.answered_at),
            )
            row.answered += 1
            row.correct += int(answer.correct)
            row.recent = (("R" if answer.correct else "W") + row.recent)[:WINDOW]
            row.last_at = answer.answered_at
        if answer.correct:
            continue
        given = given_codes(answer.question, code=answer.given_code, choices=answer.choices.all())
        for subject in subjects:
            for picked in sorted(given - set(subjects)):
                row = confusions.setdefault(
                    (learner_id, subject, picked),
                    Confusion(
                        learner_id=learner_id,
                        subject=subject,
                        picked=picked,
                        last_at=answer.answered_at,
                    ),
                )
                row.count += 1
                row.last_at = answer.answered_at
    CodeEvidence.objects.bulk_create(evidence.values(), batch_size=500)
    Confusion.objects.bulk_create(confusions.values(), batch_size=500)
    for learner_id in ids:  # their mastery and confusions show afresh
        learner_changed(learner_id)
    return len(ids)


def learners_who_answered(question_ids: Iterable[int]) -> set[int]:
    return set(
        Answer.objects.filter(question_id__in=list(question_ids))
        .values_list("attempt__learner_id", flat=True)
        .distinct()
    )


# Subjects changed (an import, the admin): the learners who answered those questions are
# rebuilt once the change commits; an import's hundreds of changes make one rebuild.
_pending: set[int] = set()


def subjects_changed(sender, instance, action: str, reverse: bool, pk_set, **kwargs) -> None:
    """`m2m_changed` on `Question.subject`."""
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if reverse:  # from the status code's side: which questions is not known for a clear
        questions = set(pk_set or []) or set(
            Question.objects.filter(subject=instance).values_list("pk", flat=True)
        )
    else:
        questions = {instance.pk}
    _pending.update(questions)
    transaction.on_commit(_rebuild_pending)


def _rebuild_pending() -> None:
    if _pending:
        questions = set(_pending)
        _pending.clear()
        evidence_rebuild(learners_who_answered(questions))
