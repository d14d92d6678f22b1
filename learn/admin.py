"""The admin as the authoring tool for lessons and the status-code reference."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.actions import delete_selected
from django.contrib.admin.utils import NestedObjects
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import router, transaction
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone

from learn import rubric
from learn.models import FollowUp, Lesson, StatusCode
from learn.rendering import render_markdown

RUBRIC_HELP = (
    "One point per line: the idea, a vertical bar, then the wordings that count, separated by "
    "semicolons. 2–5 lines. For example:<br><code>401 means no valid credentials | no valid "
    "credentials; not authenticated; expired token</code><br><code>a 401 carries a challenge | "
    "WWW-Authenticate; challenge</code><br>Matching ignores case and punctuation and accepts "
    "word forms (retry, retries, retried)."
)


class RubricField(forms.CharField):
    """A rubric edited as plain text, one `point | phrasing; phrasing` line per point.

    The stored form is a list of {"point", "phrasings"}; this field shows that list as lines
    and reads lines back, so an author never writes JSON. Mistakes in a line are shown on the
    field; the counts (2–5 points) are checked by the model's validator, as for the loader.
    """

    widget = forms.Textarea(attrs={"rows": 6, "cols": 100, "spellcheck": "false"})
    default_error_messages = {
        "required": "Write 2–5 points, one per line: point | phrasing; phrasing.",
    }

    def prepare_value(self, value):
        return rubric.to_text(value) if isinstance(value, list) else value

    def to_python(self, value) -> list[dict]:
        points, found = rubric.from_text(super().to_python(value) or "")
        if found:
            raise ValidationError(found)
        return points


class FollowUpForm(forms.ModelForm):
    rubric = RubricField(help_text=RUBRIC_HELP)

    class Meta:
        model = FollowUp
        fields = ["key", "position", "question", "answer", "rubric"]


class FollowUpInline(admin.StackedInline):
    model = FollowUp
    form = FollowUpForm
    extra = 0
    fields = ["key", "position", "question", "answer", "rubric"]
    show_change_link = True


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


class KeepsLearnerHistory:
    """Content that learners' history points at (answers, picks, review cards, attempts,
    lessons marked done, drill answers) is never deleted: the admin refuses and offers
    unpublishing.

    The history's foreign keys are PROTECT, so the refusal is found generically, by asking the
    deletion collector what it would have to protect; this app need not know the others.
    """

    def learner_history(self, objs) -> int:
        """How many rows of learners' history deleting `objs` would destroy."""
        collector = NestedObjects(using=router.db_for_write(self.model))
        collector.collect(list(objs))
        return len(collector.protected)

    def refusal(self, obj, count: int) -> str:
        return (
            f"“{obj}” can't be deleted: {count} record{'s' if count != 1 else ''} of learners' "
            "history (answers, picks, review cards, attempts, lessons marked done or drill "
            "answers) depend on it, and a learner's history is never deleted. Unpublish it "
            "instead: new learners no longer see it, and old results still show it."
        )

    def delete_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, admin.utils.unquote(object_id))
        if obj is not None and (count := self.learner_history([obj])):
            self.message_user(request, self.refusal(obj, count), messages.ERROR)
            opts = self.model._meta
            return redirect(f"admin:{opts.app_label}_{opts.model_name}_change", obj.pk)
        return super().delete_view(request, object_id, extra_context)

    def get_actions(self, request):
        actions = super().get_actions(request)
        if "delete_selected" in actions:
            description = actions["delete_selected"][2]
            actions["delete_selected"] = (
                type(self).delete_without_history,
                "delete_selected",
                description,
            )
        return actions

    def delete_without_history(self, request, queryset):
        """Django's delete action, for the selected objects no learner's history needs."""
        kept = [obj for obj in queryset if self.learner_history([obj])]
        if kept:
            names = ", ".join(f"“{obj}”" for obj in kept[:5]) + (" …" if len(kept) > 5 else "")
            self.message_user(
                request,
                f"Not deleted, because learners' history depends on them: {names}. Unpublish "
                "them instead.",
                messages.ERROR,
            )
            queryset = queryset.exclude(pk__in=[obj.pk for obj in kept])
        if not queryset.exists():
            return None
        return delete_selected(self, request, queryset)


@admin.register(FollowUp)
class FollowUpAdmin(KeepsLearnerHistory, admin.ModelAdmin):
    """Follow-ups one at a time, with their rubric; the lesson page edits them all at once. One
    that learners have drilled is never deleted: it can leave the files and be retired."""

    form = FollowUpForm
    fields = ["lesson", "key", "position", "question", "answer", "rubric", "retired_at"]
    readonly_fields = ["retired_at"]
    list_display = ["question", "key", "lesson", "position", "point_count", "retired_at"]
    list_filter = ["lesson", ("retired_at", admin.EmptyFieldListFilter)]
    list_select_related = ["lesson"]
    search_fields = ["key", "question", "answer"]
    ordering = ["lesson__position", "position"]

    @admin.display(description="Rubric points")
    def point_count(self, followup: FollowUp) -> int:
        return len(followup.rubric)

    def refusal(self, obj, count: int) -> str:
        return (
            f"“{obj}” can't be deleted: {count} drill answer{'s' if count != 1 else ''} or "
            "review cards of learners depend on it, and a learner's history is never deleted. "
            "Take it out of the lesson's file and run load_content instead: it is retired, "
            "kept for their history and shown nowhere."
        )


@admin.register(Lesson)
class LessonAdmin(KeepsLearnerHistory, PublishActions, admin.ModelAdmin):
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
