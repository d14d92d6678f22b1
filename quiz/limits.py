"""The limits on practice: answers, and writes that create rows (against scripts, not people)."""

from django.http import HttpRequest

from config.ratelimit import Limit, client_ip
from quiz.progress import learners


def _learner_key(request: HttpRequest) -> str | None:
    """Who is learning, from the session alone (no query): the account, or the anonymous
    learner; None before there is either."""
    owner = learners.owner_ids(request)
    if owner is None:
        return None
    user_id, learner_id = owner
    return f"user:{user_id}" if user_id is not None else str(learner_id)


# Generous limits on answering (quiz, review, practice sets and the interview drill all post
# here): against scripts.
ANSWER_LIMITS = (
    Limit(
        "ANSWER_RATE_LIMIT",
        key=_learner_key,
        message="You are answering faster than anyone can read: the site takes {count} "
        "answers {window} from one learner.",
    ),
    Limit(
        "ANSWER_RATE_LIMIT_PER_IP",
        key=client_ip,
        message="Too many answers came from your network: the site takes {count} answers "
        "{window} from one address.",
    ),
)


def _writer_key(request: HttpRequest) -> str:
    """The learner, or before there is one, the address: who a write counts against."""
    return _learner_key(request) or f"ip:{client_ip(request)}"


def _newcomer_key(request: HttpRequest) -> str | None:
    """The address, when this write would create a new anonymous learner; else not counted."""
    if request.user.is_authenticated or learners.current_learner(request) is not None:
        return None
    return client_ip(request)


NEW_LEARNER_LIMIT = Limit(
    "NEW_LEARNER_RATE_LIMIT",
    key=_newcomer_key,
    message="Too many new learners came from your network: the site starts {count} "
    "{window} for one address without an account. Log in, or try again later.",
)

# Writes that create rows (an attempt, a set, a lesson marked done): against scripts that would
# fill the database, not people. New anonymous learners are what a script without cookies makes
# (a drill answer rated first thing makes one too: it counts under the same "write" scope).
WRITE_LIMITS = (
    Limit(
        "WRITE_RATE_LIMIT",
        key=_writer_key,
        message="That is more than anyone starts or marks by hand: the site takes {count} of "
        "these {window} from one learner.",
    ),
    NEW_LEARNER_LIMIT,
)
