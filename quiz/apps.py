from django.apps import AppConfig


class QuizConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "quiz"
    verbose_name = "Quiz and progress"
    content_loader = "quiz.importer.content_load"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from quiz.learners import on_login

        user_logged_in.connect(on_login, dispatch_uid="quiz.learners.on_login")
