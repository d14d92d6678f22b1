from django.urls import path

from learn.lab import api, views

app_name = "lab"

urlpatterns = [
    path("", views.console, name="console"),
    path("api/status/<int:code>", api.status, name="status"),
    path("api/redirect/<int:code>", api.redirect, name="redirect"),
    path("api/echo", api.echo, name="echo"),
    path("api/auth", api.auth, name="auth"),
    path("api/limited", api.limited, name="limited"),
    path("api/etag", api.resource, name="etag"),
    path("api/jobs", api.jobs, name="jobs"),
    path("api/jobs/<str:job>", api.job, name="job"),
    path("api/jobs/<str:job>/result", api.job_result, name="job_result"),
    path("api/gateway/<slug:fault>", api.gateway, name="gateway"),
]
