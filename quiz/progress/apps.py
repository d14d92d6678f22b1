from django.apps import AppConfig


class ProgressConfig(AppConfig):
    """Progress: who is learning (accounts, anonymous learners and their merge), what they
    know (mastery, streaks, the heatmap), what is due (FSRS review), and their data.

    Its rows are the quiz app's models (Learner, LessonCompletion, ReviewCard, ReviewLog):
    they were there first, and moving them would mean a migration for nothing."""

    name = "quiz.progress"
    label = "progress"
    verbose_name = "Progress"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import m2m_changed

        from quiz.models import Question
        from quiz.progress.evidence import subjects_changed
        from quiz.progress.learners import on_login

        user_logged_in.connect(on_login, dispatch_uid="quiz.progress.learners.on_login")
        m2m_changed.connect(
            subjects_changed, sender=Question.subject.through, dispatch_uid="evidence-subjects"
        )
