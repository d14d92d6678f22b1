"""The question form and its choices in the admin: the importer's rules (`quiz.validation`),
each error on its field; a choice learners picked is retired when deleted, not deleted."""

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import FilteredSelectMultiple
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet

from quiz.models import Choice, Question, Quiz
from quiz.validation import question_problems

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
