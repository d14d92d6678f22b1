"""The interview drill: say the answer to a lesson's follow-up, then check it against the model
answer and its rubric, rate your recall, and the follow-up comes back for review like a question.

`selectors.py` reads (topics, what to ask next, readiness, the mock draw, the due queue),
`services.py` writes (a rated answer, a mock interview), `forms.py` reads the posted answer and
its signed timer, `views.py` and `urls.py` are the pages (namespace `interview`).
"""
