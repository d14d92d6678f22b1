"""`make bench`: the site under gunicorn on 127.0.0.1, driven by wrk (`python -m tests.bench`)."""
