"""Names the lessons' Django examples use without defining: "your own" helpers.

Each example module starts with these names already in it; anything the example defines or
imports itself replaces them.
"""


def build_context(request) -> dict:
    """The dashboard's data (the slow part of building the page)."""
    return {"user": request.user}


def save_order(data):
    """Store an order from the posted form; the new Order."""
    from tests.examples.django_app.models import Order

    return Order.objects.create(sku=data.get("sku", ""), qty=int(data.get("qty") or 1))


GIVEN = {"build_context": build_context, "save_order": save_order}
