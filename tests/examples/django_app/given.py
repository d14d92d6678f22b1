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


def reserve_stock(sku: str, qty: int) -> None:
    """The shop's stock check: everything is sold out, so it raises the example's OutOfStock."""
    import sys

    views = sys.modules["tests.examples.django_app.views"]
    raise views.OutOfStock(f"{sku} is out of stock")


GIVEN = {
    "reserve_stock": reserve_stock,
    "build_context": build_context,
    "save_order": save_order,
}
