"""The admin for quizzes and attempts."""

from django.contrib import admin
from django.db.models import Count

from learn.admin import KeepsLearnerHistory
from quiz.models import Attempt, Quiz


@admin.register(Quiz)
class QuizAdmin(KeepsLearnerHistory, admin.ModelAdmin):
    list_display = ["title", "slug", "lesson", "position", "question_count", "draw", "published"]
    autocomplete_fields = ["lesson"]
    list_editable = ["position", "published"]
    list_filter = ["published", "draws_from_all"]
    search_fields = ["title", "slug", "description"]
    filter_horizontal = ["questions"]
    prepopulated_fields = {"slug": ["title"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(question_count=Count("questions"))

    @admin.display(description="questions", ordering="question_count")
    def question_count(self, quiz):
        return "all" if quiz.draws_from_all else quiz.question_count


@admin.register(Attempt)
class AttemptAdmin(admin.ModelAdmin):
    list_display = ["__str__", "mode", "learner", "correct", "total", "started_at", "finished_at"]
    list_filter = ["mode", "quiz"]
    list_select_related = ["quiz", "learner"]
    readonly_fields = ["question_ids", "choice_order"]
