"""The drill's form: the typed answer, the signed timer, the learner's marks and their rating.

The timer is a signed token in the form, made when the question is served and signed again when
the answer is revealed, so the time taken is measured by the server, JavaScript or not, and a
changed token is refused rather than believed.
"""

from dataclasses import dataclass, replace
from datetime import UTC, datetime

from django import forms
from django.core import signing

from quiz.progress.models import DrillAnswer

MAX_ANSWER = 3000  # characters: well over two minutes of talking
TIMER_SALT = "quiz.interview.timer"
RATINGS = DrillAnswer.Rating


def _ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


@dataclass(frozen=True)
class Timer:
    """When a follow-up was served to the learner, and when its answer was revealed."""

    followup_id: int
    served_ms: int
    revealed_ms: int | None = None

    @classmethod
    def start(cls, followup_id: int, now: datetime) -> "Timer":
        return cls(followup_id, _ms(now))

    def reveal(self, now: datetime) -> "Timer":
        return self if self.revealed_ms is not None else replace(self, revealed_ms=_ms(now))

    @property
    def token(self) -> str:
        return signing.dumps([self.followup_id, self.served_ms, self.revealed_ms], salt=TIMER_SALT)

    @property
    def served_at(self) -> datetime:
        return datetime.fromtimestamp(self.served_ms / 1000, tz=UTC)

    def seconds(self, now: datetime) -> int:
        """Seconds from serving to the reveal (or to `now`, if not revealed yet)."""
        end = self.revealed_ms if self.revealed_ms is not None else _ms(now)
        return max(0, round((end - self.served_ms) / 1000))


TIMER_REFUSED = (
    "The timer in this form does not check out: it was changed, or it belongs to another "
    "question. Here is the question again, with your answer kept and a fresh timer."
)


def read_timer(token: str, followup_id: int) -> Timer:
    """The timer a token carries, if the server signed it for this follow-up."""
    try:
        values = signing.loads(token, salt=TIMER_SALT)
    except signing.BadSignature:
        raise forms.ValidationError(TIMER_REFUSED, code="timer") from None
    shape = (
        isinstance(values, list)
        and len(values) == 3
        and all(type(v) is int for v in values[:2])
        and (values[2] is None or type(values[2]) is int)
    )
    if not shape or values[0] != followup_id:
        raise forms.ValidationError(TIMER_REFUSED, code="timer")
    return Timer(*values)


class DrillForm(forms.Form):
    """The answer and its timer (revealing); with `rate`, the marks and the rating too."""

    answer = forms.CharField(
        required=False,
        strip=False,
        error_messages={
            "null_characters_not_allowed": "Your answer contains a NUL character, which no "
            "keyboard types: paste it as plain text and reveal again.",
        },
    )
    token = forms.CharField(
        error_messages={"required": "The form lost its timer: reload the question and answer."}
    )

    def __init__(self, *args, followup_id: int, points: int, rate: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.followup_id = followup_id
        if rate:
            self.fields["made"] = forms.TypedMultipleChoiceField(
                required=False,
                coerce=int,
                choices=[(str(n), str(n)) for n in range(1, points + 1)],
                error_messages={
                    "invalid_choice": "Your marks name point %(value)s, but this question's "
                    f"rubric has {points} points: tick only the points shown.",
                },
            )
            self.fields["rating"] = forms.TypedChoiceField(
                coerce=int,
                choices=[(str(value), label) for value, label in RATINGS.choices],
                error_messages={
                    "required": "Rate your recall: Again (1), Hard (2), Good (3) or Easy (4).",
                    "invalid_choice": "A rating is Again (1), Hard (2), Good (3) or Easy (4).",
                },
            )

    def clean_answer(self) -> str:
        text = self.cleaned_data["answer"].replace("\r\n", "\n")
        if len(text) > MAX_ANSWER:
            raise forms.ValidationError(
                f"Your answer is {len(text):,} characters long: the drill takes at most "
                f"{MAX_ANSWER:,}. Shorten it to the points you would say aloud, then reveal "
                "again.",
                code="max_length",
            )
        return text

    def clean_token(self) -> Timer:
        return read_timer(self.cleaned_data["token"], self.followup_id)

    @property
    def text(self) -> str:
        """The answer as typed (cleaned if valid), to put back in the page."""
        if "answer" in getattr(self, "cleaned_data", {}):
            return self.cleaned_data["answer"]
        return self.data.get("answer", "") if self.is_bound else ""

    @property
    def timer_refused(self) -> bool:
        return self.is_bound and "token" in self.errors

    def messages(self) -> list[str]:
        return [error for errors in self.errors.values() for error in errors]
