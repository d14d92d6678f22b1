"""The admin as the authoring tool for questions and quizzes.

Validation is the importer's (`quiz.validation.question_problems`), applied to the form and
its choices; item analysis comes from `quiz.analysis`; imports run `quiz.importer`.
"""

from http import HTTPStatus
from types import SimpleNamespace

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import FilteredSelectMultiple
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.forms.models import BaseInlineFormSet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from learn import safe_yaml
from learn.admin import KeepsLearnerHistory, PublishActions
from learn.registry import CLASS_NAMES
from learn.services import ContentError
from learn.templatetags.learn_tags import markdown_inline
from quiz import analysis, exporter
from quiz.forms import AnswerForm
from quiz.importer import questions_import
from quiz.lint import sources as lint_sources
from quiz.models import AnswerChoice, Attempt, Choice, Question, Quiz
from quiz.percent import percent
from quiz.validation import question_problems

MAX_IMPORT_BYTES = safe_yaml.MAX_BYTES  # one cap for every way in: upload, pasted text, CLI
LABELS = {
    "type": "The type",
    "prompt": "The prompt",
    "explanation": "The explanation",
    "difficulty": "The difficulty",
    "answer": "The answer",
    "choices": "The question",
}


def sentence(field: str, message: str) -> str:
    """A validation message from `question_problems` as a sentence for the form."""
    if message.startswith(("is ", "must ", "needs ")):
        return f"{LABELS.get(field, field)} {message}."
    return message[0].upper() + message[1:] + "."


# Validation -----------------------------------------------------------------------------------


class QuestionForm(forms.ModelForm):
    quizzes = forms.ModelMultipleChoiceField(
        queryset=Quiz.objects.filter(draws_from_all=False),
        required=False,
        widget=FilteredSelectMultiple("quizzes", is_stacked=False),
        help_text="The quizzes that ask this question (quizzes drawing from all questions "
        "include every published question anyway).",
    )

    class Meta:
        model = Question
        fields = [
            "slug", "type", "prompt", "snippet_language", "snippet_code", "answer_code",
            "answer_bool", "wrong_codes", "explanation", "subject", "codes", "variant_of",
            "lesson", "difficulty", "published", "lint_silenced",
        ]  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["quizzes"].initial = self.instance.quizzes.all()

    def clean(self):
        data = super().clean()
        qtype = data.get("type")
        if qtype is None:
            return data
        answer_field = "answer_code" if qtype == Question.Type.CODE else "answer_bool"
        if qtype in (Question.Type.SINGLE, Question.Type.MULTIPLE):
            answer_field = "answer_code" if data.get("answer_code") is not None else "answer_bool"
        problems = question_problems(
            type=qtype,
            prompt=data.get("prompt", ""),
            explanation=data.get("explanation", ""),
            choices=[],
            answer_code=data.get("answer_code"),
            answer_bool=data.get("answer_bool"),
            difficulty=data.get("difficulty"),
        )
        for field, message in problems.items():
            if field == "choices":
                continue  # the choices formset checks those, with the choices in hand
            target = answer_field if field == "answer" else field
            if target in self.fields and target not in self.errors:
                self.add_error(target, sentence(field, message))
        for name in ("wrong_codes", "lint_silenced"):
            if data.get(name) in (None, ""):
                data[name] = {}
            elif not isinstance(data[name], dict) or not all(
                isinstance(why, str) and why.strip() for why in data[name].values()
            ):
                self.add_error(name, 'A mapping to reasons, e.g. {"401": "why it is wrong"}.')
        wrong = data.get("wrong_codes") or {}
        if isinstance(wrong, dict) and any(
            not str(code).isdigit() or not 100 <= int(code) <= 599 for code in wrong
        ):
            self.add_error("wrong_codes", "Each key is a status code from 100 to 599.")
        codes, subject = data.get("codes"), data.get("subject")
        if codes is not None and subject and not set(subject) <= set(codes):
            missing = ", ".join(str(c.code) for c in subject if c not in codes)
            self.add_error("subject", f"List {missing} under codes too.")
        variant_of = data.get("variant_of")
        if variant_of is not None and self.instance.pk and variant_of.pk == self.instance.pk:
            self.add_error("variant_of", "A question cannot be a variant of itself.")
        return data


class ChoiceFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        question = self.instance
        retired = set(
            Choice.objects.filter(question=question.pk, retired_at__isnull=False).values_list(
                "key", flat=True
            )
        )
        for form in self.forms:
            if form.cleaned_data.get("key") in retired and not form.cleaned_data.get("DELETE"):
                raise ValidationError(
                    f"The key “{form.cleaned_data['key']}” belongs to a retired choice: choose "
                    "another."
                )
        kept = [
            form.cleaned_data
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        problems = question_problems(
            type=question.type,
            prompt=question.prompt or "-",
            explanation=question.explanation or "-",
            choices=[{"text": c.get("text", ""), "correct": c.get("correct")} for c in kept],
            difficulty=question.difficulty,
        )
        if "choices" in problems:
            raise ValidationError(sentence("choices", problems["choices"]))


class ChoiceInline(admin.TabularInline):
    """The question's current choices. Deleting one that learners picked retires it instead."""

    model = Choice
    formset = ChoiceFormSet
    extra = 0
    fields = ["position", "key", "text", "correct", "why"]
    readonly_fields = ["key"]  # given once (a new choice gets one), so imports can match it

    def get_queryset(self, request):
        return super().get_queryset(request).active()

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)

        class RetiresPickedChoices(formset.form):
            def hand_clean_DELETE(self):  # noqa: N802 (Django's name)
                """The admin refuses to delete a choice that picks protect; here deleting a
                picked choice retires it instead (QuestionAdmin.save_formset)."""

        formset.form = RetiresPickedChoices
        return formset


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
        return format_item_stats(stats)

    @admin.display(description="warnings")
    def bank_lint(self, question):
        if not question.pk:
            return "The bank lint checks the question once it is saved."
        return format_findings(lint_sources.for_saved_question(question))

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
        context = {
            **self.admin_site.each_context(request),
            "title": "Import questions",
            "opts": self.opts,
            "max_kb": MAX_IMPORT_BYTES // 1000,
        }
        if request.method != "POST":
            return TemplateResponse(request, "admin/quiz/question/import.html", context)
        name, text, error = _uploaded_text(request)
        if error:
            context["problems"] = [error]
            status = (
                HTTPStatus.REQUEST_ENTITY_TOO_LARGE
                if "too large" in error
                else HTTPStatus.BAD_REQUEST
            )
            return TemplateResponse(
                request, "admin/quiz/question/import.html", context, status=status
            )
        confirm = request.POST.get("confirm") == "yes"
        started = timezone.now()
        try:
            results = questions_import([(name, text)], dry_run=not confirm)
        except ContentError as problem:
            context.update(problems=problem.problems, name=name)
            return TemplateResponse(
                request,
                "admin/quiz/question/import.html",
                context,
                status=HTTPStatus.BAD_REQUEST,
            )
        if confirm:
            for question in Question.objects.filter(updated_at__gte=started):
                self.log_change(request, question, f"Imported from {name}.")
            summary = "; ".join(str(result) for result in results)
            self.message_user(request, f"Imported {name}: {summary}.", messages.SUCCESS)
            return redirect("admin:quiz_question_changelist")
        report = lint_sources.for_import([(name, text)])
        context.update(
            results=results,
            name=name,
            text=text,
            lint_findings=report.errors,
            lint_silenced=len(report.findings) - len(report.errors),
            lint_bank=report.bank_problems,
        )
        return TemplateResponse(request, "admin/quiz/question/import.html", context)

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


def _uploaded_text(request) -> tuple[str, str, str]:
    """(file name, text, error): the upload, or the text carried by the dry run's form."""
    upload = request.FILES.get("file")
    too_large = f"is too large: question files are at most {MAX_IMPORT_BYTES // 1000} KB."
    if upload is None:
        text = request.POST.get("text", "")
        name = request.POST.get("name", "upload.yaml")[:100]
        if not text:
            return "", "", "Choose a YAML question file to upload."
        if len(text.encode("utf-8", errors="surrogatepass")) > MAX_IMPORT_BYTES:
            return name, "", f"{name} {too_large}"
        return name, text, ""
    if upload.size > MAX_IMPORT_BYTES:
        return upload.name, "", f"{upload.name} {too_large}"
    try:
        return upload.name, upload.read().decode("utf-8"), ""
    except UnicodeDecodeError:
        return upload.name, "", f"{upload.name} is not UTF-8 text: save it as UTF-8 and retry."


def format_findings(findings) -> str:
    """Lint findings as a list for the change form: warnings, the silenced ones with reasons."""
    if not findings:
        return "No warnings: the bank lint finds nothing to fix in this question."
    return format_html(
        "<ul>{}</ul>",
        format_html_join(
            "",
            "<li><strong>{}</strong>: {}{}</li>",
            (
                (f.rule, f.message, f" (silenced: {f.silenced})" if f.silenced else "")
                for f in findings
            ),
        ),
    )


def format_item_stats(stats) -> str:
    """Item analysis as a small HTML table for the change form."""
    if stats is None or not stats.answered:
        return "Not answered yet."
    rows = []
    if stats.choices:
        rows = format_html_join(
            "",
            "<tr><td>{}{}</td><td>{}</td><td>{}%</td></tr>",
            (
                (
                    markdown_inline(choice.text),
                    " ✓" if choice.correct else "",
                    picked,
                    percent(share, 1),
                )
                for choice, picked, share in stats.choices
            ),
        )
    flags = format_html_join(
        "", "<li><strong>{}</strong></li>", ((markdown_inline(f),) for f in stats.flags)
    )
    notes = format_html_join("", "<li>{}</li>", ((markdown_inline(n),) for n in stats.notes))
    return format_html(
        "<p>{} answers, {}% right.</p>{}{}{}",
        stats.answered,
        stats.percent_right,
        format_html("<ul>{}</ul>", flags) if stats.flags else "",
        format_html("<ul>{}</ul>", notes) if stats.notes else "",
        format_html(
            "<table><thead><tr><th>Choice</th><th>Picked</th><th>Share</th></tr></thead>"
            "<tbody>{}</tbody></table>",
            rows,
        )
        if stats.choices
        else "",
    )


# Quizzes and attempts ------------------------------------------------------------------------


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
