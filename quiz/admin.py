"""The admin for questions and quizzes (the authoring issue extends it)."""

from django.contrib import admin

from quiz.models import Attempt, Choice, Question, Quiz


class ChoiceInline(admin.TabularInline):
    model = Choice
    extra = 0
    fields = ["position", "text", "correct", "why"]


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["slug", "type", "difficulty", "lesson", "published"]
    list_filter = ["type", "difficulty", "published", "quizzes", "lesson"]
    search_fields = ["slug", "prompt", "explanation"]
    filter_horizontal = ["codes"]
    list_select_related = ["lesson"]
    inlines = [ChoiceInline]


@admin.register(Quiz)
class QuizAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "position", "draw", "draws_from_all", "published"]
    list_editable = ["position", "published"]
    search_fields = ["title", "slug"]
    filter_horizontal = ["questions"]


@admin.register(Attempt)
class AttemptAdmin(admin.ModelAdmin):
    list_display = ["quiz", "mode", "learner", "correct", "total", "started_at", "finished_at"]
    list_filter = ["mode", "quiz"]
    list_select_related = ["quiz", "learner"]
    readonly_fields = ["question_ids", "choice_order"]
