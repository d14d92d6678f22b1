"""Progress forms: signing up, a practice set for weak codes, deleting everything."""

from django import forms
from django.contrib.auth.forms import UserCreationForm

from learn.models import StatusCode


class SignUpForm(UserCreationForm):
    """A username and a password; an email only if the learner wants to be able to reset it."""

    email = forms.EmailField(
        required=False,
        label="Email (optional)",
        help_text="Only to send you a link if you forget your password. Without one, a "
        "forgotten password cannot be reset.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    error_messages = {
        **UserCreationForm.error_messages,
        "password_mismatch": "The two passwords differ: type the same password twice.",
    }

    class Meta(UserCreationForm.Meta):
        fields = ("username", "email")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.update(autocomplete="username", autofocus=True)
        self.fields["username"].error_messages["unique"] = (
            "That username is taken. Choose another, or log in if it is yours."
        )

    def clean_username(self):
        username = self.cleaned_data.get("username")
        User = self._meta.model
        if username and User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(self.fields["username"].error_messages["unique"])
        return username


class PractiseForm(forms.Form):
    """One weak code, or the two codes of a confusable pair, to practise."""

    code = forms.TypedMultipleChoiceField(
        coerce=int,
        error_messages={
            "required": "Say which status code to practise, for example code=401.",
            "invalid_choice": "%(value)s is not a status code the questions cover.",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        codes = (
            StatusCode.objects.filter(questions__published=True)
            .distinct()
            .order_by("code")
            .values_list("code", flat=True)
        )
        self.fields["code"].choices = [(str(code), str(code)) for code in codes]

    def clean_code(self) -> list[int]:
        codes = list(dict.fromkeys(self.cleaned_data["code"]))
        if len(codes) > 2:
            raise forms.ValidationError("Practise one code or a pair of codes at a time.")
        return codes


class DeleteForm(forms.Form):
    """Deleting everything needs a tick, and the password when there is an account."""

    confirm = forms.BooleanField(
        label="I understand that my progress is deleted for good and cannot be restored.",
        error_messages={"required": "Tick the box to confirm that you want to delete it all."},
    )
    password = forms.CharField(
        label="Your password",
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if not user.is_authenticated:
            del self.fields["password"]

    def clean_password(self) -> str:
        password = self.cleaned_data.get("password", "")
        if not password:
            raise forms.ValidationError("Type your password to delete your account.")
        if not self.user.check_password(password):
            raise forms.ValidationError("That is not your password.")
        return password
