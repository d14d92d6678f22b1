"""Show times in the learner's own time zone, the one their browser reported."""

import zoneinfo
from datetime import date

from django.utils import timezone

from quiz.progress.learners import LEARNER_KEY, TIMEZONE_KEY, valid_timezone
from quiz.progress.models import Learner


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


class SlidingSessionMiddleware:
    """A session lasts SESSION_COOKIE_AGE from the learner's last visit, not from its start.

    Django renews a session's expiry only when its data changes, so an anonymous learner who
    came back every day still lost everything two weeks after their first visit. Once a day,
    a visit now marks the session as seen, which saves it with a fresh expiry and cookie: at
    most one write a day per session.
    """

    SEEN_KEY = "seen"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or not (session.modified or session.session_key):
            return response
        today = date.today()
        if not session.is_empty() and session.get(self.SEEN_KEY) != today.isoformat():
            session[self.SEEN_KEY] = today.isoformat()
            if learner_id := session.get(LEARNER_KEY):  # what pruning reads: once a day
                Learner.objects.filter(pk=learner_id).update(last_seen=today)
        return response
