"""Getting back in: an optional email at sign-up, and "Forgot password" through it."""

import re
from http import HTTPStatus

import pytest
from django.contrib.auth import get_user_model

pytestmark = pytest.mark.django_db
User = get_user_model()
PASSWORD = "correct-horse-battery-staple-42"
NEW = "another-long-passphrase-9"


def sign_up(client, **extra):
    data = {"username": "ada", "password1": PASSWORD, "password2": PASSWORD, **extra}
    return client.post("/accounts/signup/", data)


def test_sign_up_takes_an_optional_email(client):
    page = client.get("/accounts/signup/").text
    assert "Email (optional)" in page and "cannot be reset" in page
    assert sign_up(client, email="ada@example.com").status_code == HTTPStatus.SEE_OTHER
    assert User.objects.get().email == "ada@example.com"


def test_sign_up_without_an_email_works(client):
    assert sign_up(client).status_code == HTTPStatus.SEE_OTHER
    assert User.objects.get().email == ""


def test_a_bad_email_is_a_clear_400(client):
    response = sign_up(client, email="not an email")
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "Enter a valid email address." in response.text


def test_forgot_password_sends_a_link_that_sets_a_new_password(client, mailoutbox, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    User.objects.create_user("ada", email="ada@example.com", password=PASSWORD)
    assert "Forgot your password?" in client.get("/accounts/login/").text
    response = client.post("/accounts/password/reset/", {"email": "ada@example.com"})
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == "/accounts/password/reset/sent/"
    [mail] = mailoutbox
    assert mail.to == ["ada@example.com"] and mail.subject == "Your Status Academy password"
    link = re.search(r"http://testserver(/accounts/password/reset/\S+/)", mail.body).group(1)
    form = client.get(link, follow=True)
    assert "Choose a new password" in form.text
    done = client.post(
        form.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW}, follow=True
    )
    assert "Password changed" in done.text
    login = client.post("/accounts/login/", {"username": "ada", "password": NEW})
    assert login.status_code == HTTPStatus.FOUND


def test_an_unknown_or_missing_email_reveals_nothing(client, mailoutbox, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    User.objects.create_user("bob", password=PASSWORD)  # no email: no link can reach him
    response = client.post("/accounts/password/reset/", {"email": "nobody@example.com"})
    assert response.status_code == HTTPStatus.FOUND  # the same page as for a known address
    assert mailoutbox == []
    page = client.get("/accounts/password/reset/").text
    assert "If you signed up without an email, no link can reach you" in page


def test_a_used_or_forged_link_says_so(client):
    response = client.get("/accounts/password/reset/MQ/not-a-token/")
    assert response.status_code == HTTPStatus.OK
    assert "This link does not work any more" in response.text


def test_reset_requests_are_rate_limited(client, settings):
    settings.PASSWORD_RESET_RATE_LIMIT = "2/hour"
    codes = [
        client.post("/accounts/password/reset/", {"email": "x@example.com"}).status_code
        for _ in range(3)
    ]
    assert codes == [302, 302, 429]


def test_email_url_configures_smtp():
    from django.core.exceptions import ImproperlyConfigured

    from config.email import smtp_settings

    found = smtp_settings("smtps://mailer:s%40cret@smtp.example.com")
    assert found["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert (found["EMAIL_HOST"], found["EMAIL_PORT"], found["EMAIL_USE_SSL"]) == (
        "smtp.example.com", 465, True
    )  # fmt: skip
    assert (found["EMAIL_HOST_USER"], found["EMAIL_HOST_PASSWORD"]) == ("mailer", "s@cret")
    assert smtp_settings("smtp://mail.local:587?tls=1")["EMAIL_USE_TLS"] is True
    with pytest.raises(ImproperlyConfigured):
        smtp_settings("http://nope")
