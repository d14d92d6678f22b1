"""Show times in the learner's own time zone, the one their browser reported."""

import zoneinfo

from django.utils import timezone

from quiz.learners import TIMEZONE_KEY, valid_timezone


class LearnerTimezoneMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        name = valid_timezone(request.session.get(TIMEZONE_KEY, ""))
        if name:
            timezone.activate(zoneinfo.ZoneInfo(name))
        else:
            timezone.deactivate()
        return self.get_response(request)
