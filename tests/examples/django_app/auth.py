"""The token check the lessons' Django examples import (`from .auth import InvalidToken`)."""

from tests.examples.django_app.models import ApiToken


class InvalidToken(Exception):
    """The request's bearer token is missing, unknown or expired."""


def user_for_token(request):
    """The user whose API token is in `Authorization: Bearer <key>`; else InvalidToken."""
    scheme, _, key = request.headers.get("Authorization", "").partition(" ")
    token = ApiToken.objects.select_related("user").filter(key=key).first()
    if scheme.lower() != "bearer" or token is None:
        raise InvalidToken(key)
    return token.user
