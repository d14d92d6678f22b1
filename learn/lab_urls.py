from django.urls import path

from learn import lab

app_name = "lab"

urlpatterns = [
    path("", lab.console, name="console"),
    path("api/status/<int:code>", lab.status, name="status"),
    path("api/redirect/<int:code>", lab.redirect, name="redirect"),
    path("api/echo", lab.echo, name="echo"),
    path("api/auth", lab.auth, name="auth"),
    path("api/limited", lab.limited, name="limited"),
    path("api/etag", lab.resource, name="etag"),
    path("api/jobs", lab.jobs, name="jobs"),
    path("api/jobs/<str:job>", lab.job, name="job"),
    path("api/jobs/<str:job>/result", lab.job_result, name="job_result"),
    path("api/gateway/<slug:fault>", lab.gateway, name="gateway"),
]
