"""The site's URL map: each feature owns its section; config owns health and errors."""

from django.contrib import admin
from django.urls import include, path

from config import views
from learn import views as learn_views

urlpatterns = [
    path("", learn_views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("csrf", views.csrf, name="csrf"),
    path("", include("learn.urls")),
    path("", include("quiz.urls")),
    path("interview/", include("quiz.interview.urls")),
    path("", include("quiz.progress.urls")),
    path("accounts/", include("quiz.progress.account_urls")),
    path("lab/", include("learn.lab.urls")),
    path("admin/", admin.site.urls),
]

handler400 = "config.views.bad_request"
handler403 = "config.views.permission_denied"
handler404 = "config.views.page_not_found"
handler500 = "config.views.server_error"
