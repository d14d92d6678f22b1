from django.apps import AppConfig


class LearnConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "learn"
    verbose_name = "Learn"
    # `load_content` calls every app's loader, so apps that depend on learn add their own
    # content without learn importing them.
    content_loader = "learn.services.content_load"
    search_documents = "learn.search.learn_documents"

    def ready(self) -> None:
        from learn import caching  # noqa: F401 (connects the signals that track content edits)
