from django.apps import AppConfig


class QuizConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "quiz"
    verbose_name = "Practice"
    content_loader = "quiz.importer.content_load"
    search_documents = "quiz.selectors.question_documents"

    def ready(self) -> None:
        from quiz import caching

        caching.connect()
