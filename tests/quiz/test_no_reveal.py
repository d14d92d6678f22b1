"""An unanswered question's page carries nothing that reveals the right answer.

For every shipped question: render its page, move the "correct" flag (or change the
answer), render again. If the two pages are identical, the HTML cannot reveal the key.
"""

import re

import pytest

from quiz.models import Choice, Question
from quiz.progress.models import Learner
from quiz.services import attempt_start

pytestmark = pytest.mark.django_db


def page(client, attempt) -> str:
    html = client.get(f"/quiz/attempts/{attempt.pk}/1/").text
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    return re.sub(r'"X-CSRFToken": "[^"]+"', "", html)


def test_no_shipped_question_page_reveals_its_answer(client):
    learner = Learner.objects.create()
    session = client.session
    session["learner_id"] = learner.pk
    session.save()
    questions = list(Question.objects.published().prefetch_related("choices", "quizzes"))
    assert len(questions) >= 150
    for question in questions:
        quiz = question.quizzes.first()
        attempt = attempt_start(
            learner=learner, quiz=quiz, mode="practice", question_ids=[question.pk]
        )
        before = page(client, attempt)
        assert question.explanation[:40] not in before
        if question.has_choices:
            choices = list(question.choices.all())
            assert all(c.why[:40] not in before for c in choices if c.why)
            Choice.objects.filter(question=question).update(correct=False)
            Choice.objects.filter(
                pk=choices[0].pk if not choices[0].correct else choices[-1].pk
            ).update(correct=True)
        elif question.type == Question.Type.CODE:
            Question.objects.filter(pk=question.pk).update(
                answer_code=418 if question.answer_code != 418 else 419
            )
        else:
            Question.objects.filter(pk=question.pk).update(answer_bool=not question.answer_bool)
        assert page(client, attempt) == before, question.slug
