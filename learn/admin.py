"""The admin as the authoring tool for lessons and the status-code reference."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone

from learn.models import FollowUp, Lesson, StatusCode
from learn.rendering import render_markdown


class FollowUpInline(admin.StackedInline):
    model = FollowUp
    extra = 0
    fields = ["position", "question", "answer"]


class PublishActions:
    """Publish / unpublish actions for models with a `published` flag; each change is logged."""

    @admin.action(
        description="Publish the selected %(verbose_name_plural)s", permissions=["change"]
    )
    def publish(self, request, queryset):
        self._set_published(request, queryset, True)

    @admin.action(
        description="Unpublish the selected %(verbose_name_plural)s (drafts)",
        permissions=["change"],
    )
    def unpublish(self, request, queryset):
        self._set_published(request, queryset, False)

    def _set_published(self, request, queryset, value: bool) -> None:
        fields = {"published": value}
        if any(field.name == "updated_at" for field in self.model._meta.fields):
            fields["updated_at"] = timezone.now()  # update() skips auto_now
        word = "Published" if value else "Unpublished"
        with transaction.atomic():
            changing = list(queryset.exclude(published=value))
            self.model.objects.filter(pk__in=[obj.pk for obj in changing]).update(**fields)
            for obj in changing:
                self.log_change(request, obj, f"{word} (admin action).")
        opts = self.model._meta
        name = opts.verbose_name if len(changing) == 1 else opts.verbose_name_plural
        self.message_user(request, f"{word} {len(changing)} {name}.")


@admin.register(Lesson)
class LessonAdmin(PublishActions, admin.ModelAdmin):
    list_display = ["title", "slug", "group", "position", "published", "updated_at"]
    list_filter = ["group", "published"]
    list_editable = ["position", "published"]
    search_fields = ["title", "slug", "summary", "body", "short_answer"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["codes"]
    inlines = [FollowUpInline]
    actions = ["publish", "unpublish"]
    save_on_top = True

    def get_urls(self):
        preview = self.admin_site.admin_view(self.preview_view)
        return [
            path("<int:object_id>/preview/", preview, name="learn_lesson_preview"),
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


@admin.register(StatusCode)
class StatusCodeAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "official", "retry", "spec", "updated_at"]
    list_filter = ["official", "retry"]
    search_fields = ["=code", "name", "summary"]
    filter_horizontal = ["related"]
    ordering = ["code"]
