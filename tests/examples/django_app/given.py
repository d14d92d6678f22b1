"""Names the lessons' Django examples use without defining: "your own" helpers.

Each example module starts with these names already in it; anything the example defines or
imports itself replaces them.
"""


def build_context(request) -> dict:
    """The dashboard's data (the slow part of building the page)."""
    return {"user": request.user}


GIVEN = {"build_context": build_context}
