"""Accounts: sign up, log in, log out and change password, in the site's layout.

Progress made before signing up or logging in is merged into the account by the quiz app's
`user_logged_in` receiver. Invalid forms answer 400 with the errors shown in place.
"""

from http import HTTPStatus

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from config.errors import error_response
from config.ratelimit import Limit, rate_limit
from quiz.progress.forms import SignUpForm

SIGNUP_LIMIT = Limit(
    "SIGNUP_RATE_LIMIT",
    message="Too many sign-ups came from your network: the site takes {count} {window} "
    "from one address.",
)
RESET_LIMIT = Limit(
    "PASSWORD_RESET_RATE_LIMIT",
    message="Too many password-reset requests came from your network: the site sends {count} "
    "{window} from one address.",
)
LOGIN_LIMIT = Limit(
    "LOGIN_RATE_LIMIT",
    message="Too many log-in attempts came from your network: the site takes {count} "
    "{window} from one address.",
)


class InvalidIs400:
    """Form views answer an invalid submission with 400 Bad Request, not 200."""

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = HTTPStatus.BAD_REQUEST
        return response


@method_decorator(rate_limit("login", LOGIN_LIMIT), name="dispatch")
class LoginView(InvalidIs400, auth_views.LoginView):
    redirect_authenticated_user = True


@method_decorator(never_cache, name="dispatch")  # a form about the password: never stored
class PasswordChangeView(InvalidIs400, auth_views.PasswordChangeView):
    pass


@method_decorator(rate_limit("reset", RESET_LIMIT), name="dispatch")
class PasswordResetView(InvalidIs400, auth_views.PasswordResetView):
    """ "Forgot password": a link by email, to the address given at sign-up (if any). The page
    says the same whether or not an account has that email, so it reveals no one's address."""


class PasswordResetConfirmView(InvalidIs400, auth_views.PasswordResetConfirmView):
    pass


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if safe else resolve_url(settings.LOGIN_REDIRECT_URL)


@never_cache  # a form for a password: never stored
@require_http_methods(["GET", "HEAD", "POST"])
@rate_limit("signup", SIGNUP_LIMIT)
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect(_next_url(request))
    form = SignUpForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form.is_valid():
            user = form.save()
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(
                request,
                f"Welcome, {user.get_username()}: your account is ready, and everything you "
                "did in this browser is part of it.",
            )
            response = redirect(_next_url(request))
            response.status_code = HTTPStatus.SEE_OTHER
            return response
        context = {"form": form, "next": request.POST.get("next", "")}
        return render(request, "registration/signup.html", context, status=HTTPStatus.BAD_REQUEST)
    return render(
        request, "registration/signup.html", {"form": form, "next": request.GET.get("next", "")}
    )


def attempted_username(request: HttpRequest, credentials: dict | None = None) -> str | None:
    """django-axes: the username a log-in tried, cut to fit its 255-character column.

    The log-in form does not enforce the username's length before authenticating, and
    PostgreSQL refuses an over-long value where SQLite stores it: without the cut, a long
    made-up username turned a failed log-in into a 500.
    """
    data = credentials if credentials else getattr(request, "POST", {})
    username = data.get("username")
    return username[:255] if isinstance(username, str) else username


def locked_out(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """django-axes: too many wrong passwords for this username from this address. 429."""
    seconds = int(settings.AXES_COOLOFF_TIME.total_seconds())
    minutes = seconds // 60
    return error_response(
        request,
        HTTPStatus.TOO_MANY_REQUESTS,
        wait=seconds,
        reason=f"Too many failed log-ins came from your network for this account: after "
        f"{settings.AXES_FAILURE_LIMIT} wrong passwords, log-ins to it from here are paused for "
        f"{minutes} minute{'s' if minutes != 1 else ''}. Other accounts are not affected. "
        "Wait, then try again with the right password.",
    )
