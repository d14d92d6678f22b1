"""Answer forms: turn what the learner sent into a `Given`, or say plainly what is wrong.

Choices are posted by their position on the page (1, 2, 3 …), never by id, so the page
carries nothing that hints at which choice is right.
"""

import re

from django import forms

from quiz.models import Choice, Question
from quiz.services import Given


class AnswerForm(forms.Form):
    def __init__(self, *args, question: Question, shown: list[Choice], **kwargs):
        super().__init__(*args, **kwargs)
        self.question = question
        self.shown = shown
        numbers = [(str(n), choice.text) for n, choice in enumerate(shown, start=1)]
        error_messages = {"invalid_choice": "That is not one of this question’s choices."}
        if question.type == Question.Type.SINGLE:
            self.fields["choice"] = forms.ChoiceField(
                choices=numbers,
                error_messages={**error_messages, "required": "Pick one of the choices."},
            )
        elif question.type == Question.Type.MULTIPLE:
            self.fields["choice"] = forms.MultipleChoiceField(
                choices=numbers,
                error_messages={
                    **error_messages,
                    "invalid_choice": "That is not one of this question’s choices.",
                    "required": "Pick at least one choice.",
                },
            )
        elif question.type == Question.Type.TRUEFALSE:
            self.fields["answer"] = forms.ChoiceField(
                choices=[("true", "True"), ("false", "False")],
                error_messages={
                    "required": "Choose True or False.",
                    "invalid_choice": "Answer with True or False.",
                },
            )
        else:
            self.fields["answer"] = forms.CharField(
                max_length=10,
                strip=True,
                error_messages={
                    "required": "Type a three-digit status code, for example 404.",
                    "max_length": "A status code has three digits, for example 404.",
                },
            )

    def clean_answer(self):
        value = self.cleaned_data["answer"]
        if self.question.type == Question.Type.TRUEFALSE:
            return value == "true"
        if not re.fullmatch(r"\d{3}", value):
            raise forms.ValidationError("A status code has three digits, for example 404.")
        if not 100 <= int(value) <= 599:
            raise forms.ValidationError("Status codes run from 100 to 599.")
        return int(value)

    def given(self) -> Given:
        data = self.cleaned_data
        if self.question.type == Question.Type.SINGLE:
            return Given(choices=(self.shown[int(data["choice"]) - 1],))
        if self.question.type == Question.Type.MULTIPLE:
            return Given(choices=tuple(self.shown[int(n) - 1] for n in data["choice"]))
        if self.question.type == Question.Type.TRUEFALSE:
            return Given(boolean=data["answer"])
        return Given(code=data["answer"])
