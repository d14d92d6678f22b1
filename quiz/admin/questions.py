"""The admin as the authoring tool for questions and quizzes.

Validation is the importer's (`quiz.validation.question_problems`), applied to the form and
its choices; item analysis comes from `quiz.analysis`; imports run `quiz.importer`.
"""

from types import SimpleNamespace

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from learn.admin import KeepsLearnerHistory, PublishActions
from learn.registry import CLASS_NAMES
from quiz import analysis, exporter
from quiz.admin import pages
from quiz.admin.forms import ChoiceInline, QuestionForm
from quiz.caching import questions_touched
from quiz.forms import AnswerForm
from quiz.lint import sources as lint_sources
from quiz.models import AnswerChoice, Attempt, Choice, Question, Quiz

# Filters -------------------------------------------------------------------------------------


class ClassFilter(admin.SimpleListFilter):
    title = "class"
    parameter_name = "class"

    def lookups(self, request, model_admin):
        return [(str(d), f"{d}xx {name}") for d, name in CLASS_NAMES.items()]

    def queryset(self, request, queryset):
        if self.value() in {str(d) for d in CLASS_NAMES}:
            low = int(self.value()) * 100
            return queryset.filter(codes__code__gte=low, codes__code__lt=low + 100).distinct()
        return queryset


class CodeFilter(admin.SimpleListFilter):
    title = "status code"
    parameter_name = "code"

    def lookups(self, request, model_admin):
        codes = (
            Question.codes.through.objects.values_list("statuscode__code", "statuscode__name")
            .distinct()
            .order_by("statuscode__code")
        )
        return [(str(code), f"{code} {name}") for code, name in codes]

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            return queryset.filter(codes__code=int(self.value())).distinct()
        return queryset


# Questions -----------------------------------------------------------------------------------


@admin.register(Question)
class QuestionAdmin(KeepsLearnerHistory, PublishActions, admin.ModelAdmin):
    form = QuestionForm
    inlines = [ChoiceInline]
    list_display = [
        "slug",
        "type",
        "code_list",
        "difficulty",
        "published",
        "times_answered",
        "right_share",
    ]
    list_filter = [
        "type",
        ClassFilter,
        CodeFilter,
        "difficulty",
        "published",
        "quizzes",
        "lesson",
    ]
    search_fields = ["slug", "prompt", "explanation"]
    filter_horizontal = ["codes", "subject"]
    autocomplete_fields = ["lesson", "variant_of"]
    list_select_related = ["lesson"]
    readonly_fields = ["bank_lint", "item_analysis", "retired_choices", "updated_at"]
    actions = ["publish", "unpublish", "add_to_quiz", "export_yaml"]
    save_on_top = True
    fieldsets = [
        (None, {"fields": ["slug", "type", "prompt", ("snippet_language", "snippet_code")]}),
        ("Answer", {"fields": ["answer_code", "answer_bool", "wrong_codes", "explanation"]}),
        (
            "Tags",
            {
                "fields": [
                    "codes",
                    "subject",
                    "variant_of",
                    "lesson",
                    "quizzes",
                    "difficulty",
                    "published",
                ]  # fmt: skip
            },
        ),
        ("Bank lint", {"fields": ["bank_lint", "lint_silenced"]}),
        ("How learners do", {"fields": ["item_analysis", "retired_choices", "updated_at"]}),
    ]

    def get_queryset(self, request):
        queryset = super().get_queryset(request).prefetch_related("codes")
        return analysis.annotate_answer_stats(queryset)

    @admin.display(description="codes")
    def code_list(self, question):
        return ", ".join(str(code.code) for code in question.codes.all()) or "—"

    @admin.display(description="answered", ordering="times_answered")
    def times_answered(self, question):
        return question.times_answered

    @admin.display(description="% right", ordering="percent_right")
    def right_share(self, question):
        if question.percent_right is None:
            return "—"
        return f"{round(question.percent_right)}%"

    @admin.display(description="item analysis")
    def item_analysis(self, question):
        if not question.pk:
            return "Learners' answers show up here once the question is saved and answered."
        stats = analysis.item_stats([question]).get(question.pk)
        return pages.format_item_stats(stats)

    @admin.display(description="warnings")
    def bank_lint(self, question):
        if not question.pk:
            return "The bank lint checks the question once it is saved."
        return pages.format_findings(lint_sources.for_saved_question(question))

    @admin.display(description="retired choices")
    def retired_choices(self, question):
        retired = question.choices.filter(retired_at__isnull=False) if question.pk else []
        if not retired:
            return "None."
        return format_html(
            "<p>Removed after learners picked them: their results still show them.</p><ul>{}</ul>",
            format_html_join(
                "",
                "<li>{} ({}, retired {})</li>",
                ((c.text, c.key, c.retired_at.date()) for c in retired),
            ),
        )

    def save_formset(self, request, form, formset, change):
        """A choice learners picked is retired, not deleted: their answers keep it."""
        if formset.model is not Choice:
            return super().save_formset(request, form, formset, change)
        with transaction.atomic():
            changed = formset.save(commit=False)
            picked = set(
                AnswerChoice.objects.filter(choice__in=formset.deleted_objects).values_list(
                    "choice_id", flat=True
                )
            )
            for choice in formset.deleted_objects:
                if choice.pk in picked:
                    Choice.objects.filter(pk=choice.pk).update(retired_at=timezone.now())
                    questions_touched([choice.question_id])
                    self.message_user(
                        request,
                        f"The choice “{choice.text}” was picked by learners, so it is retired "
                        "rather than deleted: their results still show it.",
                        messages.WARNING,
                    )
                else:
                    choice.delete()
            for choice in changed:
                choice.save()
            formset.save_m2m()
        return None

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        form.instance.quizzes.set(form.cleaned_data.get("quizzes", []))
        findings = [f for f in lint_sources.for_saved_question(form.instance) if not f.silenced]
        if findings:
            self.message_user(
                request,
                format_html(
                    "Saved, with {} lint warning{} (the question is saved as it is): {}",
                    len(findings),
                    "" if len(findings) == 1 else "s",
                    format_html_join("; ", "{}", ((f"{f.rule}: {f.message}",) for f in findings)),
                ),
                messages.WARNING,
            )

    # URLs and pages --------------------------------------------------------------------------

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("import/", wrap(self.import_view), name="quiz_question_import"),
            path("flagged/", wrap(self.flagged_view), name="quiz_question_flagged"),
            path("<int:object_id>/preview/", wrap(self.preview_view), name="quiz_question_preview"),
            *super().get_urls(),
        ]

    def preview_view(self, request, object_id):
        """The question exactly as a learner sees it, before and after answering."""
        question = get_object_or_404(Question.objects.for_page(), pk=object_id)
        if not self.has_view_permission(request, question):
            raise PermissionDenied
        shown = list(question.choices.all())
        attempt = SimpleNamespace(
            pk=0,
            total=1,
            answered=0,
            mode=Attempt.Mode.PRACTICE,
            shows_feedback=True,
            is_finished=False,
            name="Preview",
            quiz=None,
            get_mode_display="Practice",
        )
        right = {c.pk for c in shown if c.correct}
        wrong = [c for c in shown if not c.correct]
        answer = SimpleNamespace(
            correct=True, given_code=question.answer_code, given_bool=question.answer_bool
        )
        context = {
            "attempt": attempt,
            "number": 1,
            "question": question,
            "shown": shown,
            "form": AnswerForm(question=question, shown=shown),
            "right_answer": answer,
            "right_picked": right,
            "wrong_picks": [(choice, {choice.pk}) for choice in wrong],
            "wrong_answer": SimpleNamespace(correct=False, given_code=None, given_bool=None),
            "wrong_codes": [
                SimpleNamespace(correct=False, given_code=int(code), given_bool=None)
                for code in sorted(question.wrong_codes or {}, key=int)
            ],
            "next_url": "#",
            "action": "#",
            "preview": {
                "what": f"question “{question.slug}”",
                "published": question.published,
                "admin_url": reverse("admin:quiz_question_change", args=[question.pk]),
            },
        }
        return TemplateResponse(request, "quiz/preview.html", context)

    def flagged_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "title": "Questions that look broken",
            "opts": self.opts,
            "flagged": analysis.flagged_questions(),
            "min_answers": analysis.MIN_ANSWERS,
        }
        return TemplateResponse(request, "admin/quiz/question/flagged.html", context)

    def import_view(self, request):
        """Upload a question file, see the dry run, then confirm: the same importer as the CLI."""
        if not self.has_add_permission(request) or not self.has_change_permission(request):
            raise PermissionDenied
        return pages.import_page(self, request)

    # Actions ---------------------------------------------------------------------------------

    @admin.action(description="Add the selected questions to a quiz", permissions=["change"])
    def add_to_quiz(self, request, queryset):
        quizzes = Quiz.objects.filter(draws_from_all=False).order_by("position", "title")
        if "apply" in request.POST:
            chosen = request.POST.get("quiz", "")
            quiz = quizzes.filter(pk=chosen).first() if chosen.isdigit() else None
            if quiz is None:
                self.message_user(request, "Choose a quiz to add them to.", messages.ERROR)
            else:
                with transaction.atomic():
                    before = set(quiz.questions.values_list("pk", flat=True))
                    added = [q for q in queryset if q.pk not in before]
                    quiz.questions.add(*added)
                    for question in added:
                        self.log_change(request, question, f"Added to the quiz “{quiz}”.")
                self.message_user(
                    request,
                    f"Added {len(added)} question{'s' if len(added) != 1 else ''} to “{quiz}”"
                    f" ({queryset.count() - len(added)} already in it).",
                )
                return None
        context = {
            **self.admin_site.each_context(request),
            "title": "Add questions to a quiz",
            "opts": self.opts,
            "questions": queryset,
            "quizzes": quizzes,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/quiz/question/add_to_quiz.html", context)

    @admin.action(description="Export the selected questions as YAML", permissions=["view"])
    def export_yaml(self, request, queryset):
        text = exporter.questions_yaml(exporter.with_variant_targets(queryset))
        response = HttpResponse(text, content_type="application/yaml; charset=utf-8")
        stamp = timezone.now().strftime("%Y-%m-%d")
        response["Content-Disposition"] = f'attachment; filename="questions-{stamp}.yaml"'
        return response
