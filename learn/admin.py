"""The admin as the authoring tool for lessons and the status-code reference."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse

from learn.models import FollowUp, Lesson, StatusCode
from learn.rendering import render_markdown


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
    actions = ["publish", "unpublish"]
    save_on_top = True

    def get_urls(self):
        preview = self.admin_site.admin_view(self.preview_view)
        return [
            path("<path:object_id>/preview/", preview, name="learn_lesson_preview"),
            *super().get_urls(),
        ]

    def preview_view(self, request, object_id):
        """The lesson exactly as learners see it, draft or not (staff only)."""
        lesson = get_object_or_404(Lesson.objects.for_page(), pk=object_id)
        if not self.has_view_permission(request, lesson):
            raise PermissionDenied
        context = {
            "lesson": lesson,
            "body": render_markdown(lesson.body),
            "previous": None,
            "next": None,
            "preview": {
                "what": f"lesson “{lesson.title}”",
                "published": lesson.published,
                "admin_url": reverse("admin:learn_lesson_change", args=[lesson.pk]),
            },
        }
        return TemplateResponse(request, "learn/lesson_detail.html", context)

    @admin.action(description="Publish the selected lessons", permissions=["change"])
    def publish(self, request, queryset):
        self._set_published(request, queryset, True)

    @admin.action(description="Unpublish the selected lessons (drafts)", permissions=["change"])
    def unpublish(self, request, queryset):
        self._set_published(request, queryset, False)

    def _set_published(self, request, queryset, value: bool):
        changing = list(queryset.exclude(published=value))
        queryset.filter(pk__in=[lesson.pk for lesson in changing]).update(published=value)
        word = "Published" if value else "Unpublished"
        for lesson in changing:
            self.log_change(request, lesson, f"{word} (admin action).")
        self.message_user(request, f"{word} {len(changing)} lesson(s).")


@admin.register(StatusCode)
class StatusCodeAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "official", "retry", "spec", "updated_at"]
    list_filter = ["official", "retry"]
    search_fields = ["=code", "name", "summary"]
    filter_horizontal = ["related"]
    ordering = ["code"]
