"""The site's URL map: each app owns its section; config owns home, health and errors."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from config import accounts, views
from learn import views as learn_views

account_urls = [
    path("signup/", accounts.signup, name="signup"),
    path("login/", accounts.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", accounts.PasswordChangeView.as_view(), name="password_change"),
    path(
        "password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
]

urlpatterns = [
    path("", learn_views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("", include("learn.urls")),
    path("", include("quiz.urls")),
    path("accounts/", include(account_urls)),
    path("lab/", include("learn.lab.urls")),
    path("admin/", admin.site.urls),
]

handler400 = "config.views.bad_request"
handler403 = "config.views.permission_denied"
handler404 = "config.views.page_not_found"
handler500 = "config.views.server_error"
