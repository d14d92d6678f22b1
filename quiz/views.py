"""Quiz and progress pages."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET


@require_GET
def quiz_home(request: HttpRequest) -> HttpResponse:
    return render(request, "quiz/coming_soon.html", {"section": "quiz"})


@require_GET
def progress(request: HttpRequest) -> HttpResponse:
    return render(request, "quiz/coming_soon.html", {"section": "progress"})
