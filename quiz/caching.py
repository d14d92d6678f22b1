"""Questions kept in the process, for as long as the content version stands.

A question page, an answer and its feedback need the question with its choices, codes, subject
and lesson: five queries each time, for content that changes only when an author edits it. This
process keeps each question it has read, and drops them all when the content version
(`learn.caching.content_version`) moves: any save or deletion of a question, a choice or a quiz
moves it (signals below), and so do imports and admin actions that write with `update()`.

The kept objects are shared by requests: read them, never change them.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save

from learn.caching import content_changed, content_tables, content_version, touch
from quiz.models import Choice, Question, Quiz

_kept: dict[int, Question] = {}
_kept_version = ""


def question_for_page(pk: int) -> Question | None:
    """The question with everything its page, feedback and grading use (`for_page`), read
    from the database once per content version in this process; None if there is none."""
    global _kept_version
    version = content_version()
    if version != _kept_version:
        _kept.clear()
        _kept_version = version
    question = _kept.get(pk)
    if question is None:
        question = Question.objects.for_page().filter(pk=pk).first()
        if question is not None:
            _kept[pk] = question
    return question


def forget_questions(**kwargs) -> None:
    """Content changed: drop what this process kept, and move the version for the others."""
    _kept.clear()
    content_changed()


def questions_touched(pks) -> None:
    """These questions count as edited (their `updated_at`, which the version reads), after a
    change to what they show that saved no question: choices, codes, subjects."""
    touch(Question, list(pks))
    forget_questions()


def _choice_changed(sender, instance: Choice, **kwargs) -> None:
    questions_touched([instance.question_id])


def _links_changed(sender, instance, action: str, reverse: bool, pk_set, **kwargs) -> None:
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if sender is Quiz.questions.through:  # what a quiz holds: the quiz counts as edited
        touch(Quiz, pk_set or [] if reverse else [instance.pk])
        forget_questions()
    elif reverse:  # from the code's side: the questions are the pk_set
        questions_touched(pk_set or [])
    else:
        questions_touched([instance.pk])


def connect() -> None:
    """Called from `QuizConfig.ready`."""
    content_tables(Question, Choice, Quiz)
    for model in (Question, Quiz):
        post_save.connect(
            forget_questions, sender=model, dispatch_uid=f"quiz-kept-{model.__name__}"
        )
        post_delete.connect(
            forget_questions, sender=model, dispatch_uid=f"quiz-kept-del-{model.__name__}"
        )
    post_save.connect(_choice_changed, sender=Choice, dispatch_uid="quiz-kept-choice")
    post_delete.connect(_choice_changed, sender=Choice, dispatch_uid="quiz-kept-choice-del")
    for through in (Question.codes.through, Question.subject.through, Quiz.questions.through):
        m2m_changed.connect(_links_changed, sender=through, dispatch_uid=f"quiz-kept-{through}")
