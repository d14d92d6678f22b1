"""The attempt reads and writes that run on every question page and every answer, written in
SQL: compiling them as QuerySets cost several times what running them did (README,
Performance). `config/rows.py` turns their rows into model instances."""

from typing import TYPE_CHECKING

from django.db import connections, models

from config import rows

if TYPE_CHECKING:
    from quiz.models import Attempt


class AttemptQuerySet(models.QuerySet):
    def for_question(
        self, pk: int, number: int, *, user_id: int | None, learner_id: int | None, card: bool
    ) -> "Attempt | None":
        """The attempt, if the learner owns it (by account, or the anonymous learner by id),
        read at question `number` in one query: with its learner and quiz, `at_question_id`,
        `at_answer_id` (or None), and with `card` the learner's review card for that question
        (`at_card`, or None).

        Written in SQL: this runs on every question page and every answer, and compiling it
        as a QuerySet took several times as long as running it (README, Performance).
        """
        from quiz.models import Answer, Attempt, Quiz  # noqa: F811 (quiz.models imports this)
        from quiz.progress.models import Learner, ReviewCard

        if not (0 < pk < 2**63 and 0 < number < 2**31):  # no such row (the ORM says the same)
            return None
        connection = connections[self.db]
        table = connection.ops.quote_name
        if connection.vendor == "postgresql":
            at, position = "(question_ids ->> %s)::bigint", number - 1
        else:
            at, position = "CAST(json_extract(question_ids, %s) AS INTEGER)", f"$[{number - 1}]"
        if user_id is not None:
            owner, owner_params = "l.user_id = %s", [user_id]
        else:
            owner, owner_params = "l.id = %s AND l.user_id IS NULL", [learner_id]
        card_columns = f", {rows.columns(ReviewCard, 'c', self.db)}" if card else ""
        card_join = (
            f"LEFT JOIN {table(ReviewCard._meta.db_table)} c "
            "ON c.learner_id = a.learner_id AND c.question_id = a.at_question_id"
            if card
            else ""
        )
        sql = (
            f"SELECT {rows.columns(Attempt, 'a', self.db)}, {rows.columns(Learner, 'l', self.db)}, "
            f"{rows.columns(Quiz, 'z', self.db)}, a.at_question_id, "
            f"(SELECT id FROM {table(Answer._meta.db_table)} "
            " WHERE attempt_id = a.id AND question_id = a.at_question_id)"
            f"{card_columns} "
            f"FROM (SELECT *, {at} AS at_question_id FROM {table(Attempt._meta.db_table)} "
            "WHERE id = %s) a "
            f"JOIN {table(Learner._meta.db_table)} l ON l.id = a.learner_id "
            f"LEFT JOIN {table(Quiz._meta.db_table)} z ON z.id = a.quiz_id "
            f"{card_join} WHERE {owner}"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [position, pk, *owner_params])
            row = cursor.fetchone()
        if row is None:
            return None
        widths = [rows.width(model) for model in (Attempt, Learner, Quiz)]
        quiz_at, extra_at = widths[0] + widths[1], sum(widths)
        attempt = rows.from_row(Attempt, row[: widths[0]], self.db)
        attempt.learner = rows.from_row(Learner, row[widths[0] : quiz_at], self.db)
        quiz = row[quiz_at:extra_at]
        attempt.quiz = rows.from_row(Quiz, quiz, self.db) if quiz[0] is not None else None
        attempt.at_question_id, attempt.at_answer_id = row[extra_at : extra_at + 2]
        if card:
            values = row[extra_at + 2 :]
            attempt.at_card = rows.from_row(ReviewCard, values, self.db) if values[0] else None
        return attempt

    def count_answer(self, pk: int, *, correct: bool, now) -> tuple[int, int] | None:
        """Count one answer on an open attempt, closing it with its last question, in one
        statement; (answered, correct) after it, or None when the attempt is finished or past
        its deadline."""
        connection = connections[self.db]
        moment = connection.ops.adapt_datetimefield_value(now)
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {self.model._meta.db_table} SET answered = answered + 1, "
                "correct = correct + %s, "
                "finished_at = CASE WHEN answered + 1 >= total THEN %s ELSE NULL END "
                "WHERE id = %s AND finished_at IS NULL AND (deadline IS NULL OR deadline >= %s) "
                "RETURNING answered, correct",
                [int(correct), moment, pk, moment],
            )
            return cursor.fetchone()
