"""The app the lessons' Django examples live in while tests run them.

An example's `from .models import Account` imports this package's models.py, `from .forms
import MemberForm` its forms.py: the models and forms a lesson leaves to the reader. The
models are registered under the app label "examples" and their tables are created for the
test session only (tests/examples/conftest.py); they are no part of the site.
"""
