"""The admin as the authoring tool for lessons and the status-code reference."""

from django.contrib import admin

from learn.models import FollowUp, Lesson, StatusCode


class FollowUpInline(admin.StackedInline):
    model = FollowUp
    extra = 0
    fields = ["position", "question", "answer"]


@admin.register(Lesson)
class LessonAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "group", "position", "published", "updated_at"]
    list_filter = ["group", "published"]
    list_editable = ["position", "published"]
    search_fields = ["title", "slug", "summary", "body"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["codes"]
    inlines = [FollowUpInline]


@admin.register(StatusCode)
class StatusCodeAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "official", "retry", "spec", "updated_at"]
    list_filter = ["official", "retry"]
    search_fields = ["=code", "name", "summary"]
    filter_horizontal = ["related"]
    ordering = ["code"]
