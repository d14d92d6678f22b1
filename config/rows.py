"""Model instances from the rows of hand-written SQL, converted as the ORM converts its own.

The few queries that run on every question page and every answer are written in SQL: there,
compiling the QuerySet cost several times what running it did (README, Performance). Their
rows come back as model instances through `from_row`, with the conversions the ORM applies to
its own results (dates and times, JSON, booleans), so nothing downstream can tell.
"""

from functools import cache

from django.db import connections
from django.db.models import Model


def columns(model: type[Model], alias: str, using: str = "default") -> str:
    """`alias."column", …` for the model's concrete fields, in the order `from_row` reads."""
    quote = connections[using].ops.quote_name
    return ", ".join(f"{alias}.{quote(field.column)}" for field in model._meta.concrete_fields)


def width(model: type[Model]) -> int:
    """How many columns `columns` selects for the model."""
    return len(model._meta.concrete_fields)


@cache
def _conversions(model: type[Model], using: str) -> list[tuple]:
    """Per field: its name, its column expression and the converters the ORM would apply
    (the backend's, then the field's); they keep no state of the connection they came from."""
    connection = connections[using]
    out = []
    for field in model._meta.concrete_fields:
        col = field.get_col(model._meta.db_table)
        steps = connection.ops.get_db_converters(col) + field.get_db_converters(connection)
        out.append((field.attname, col, steps))
    return out


def from_row(model: type[Model], values, using: str = "default") -> Model:
    """The instance a row of `columns(model, …)` values stands for, as the ORM would load it."""
    connection = connections[using]
    names, converted = [], []
    for (name, col, steps), value in zip(_conversions(model, using), values, strict=True):
        for step in steps:
            value = step(value, col, connection)
        names.append(name)
        converted.append(value)
    return model.from_db(using, names, converted)
