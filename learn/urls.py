from django.urls import path, register_converter

from learn import views


class StatusCodeConverter:
    """Three digits, 100–599, written the canonical way (no leading zero)."""

    regex = "[1-5][0-9]{2}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)


register_converter(StatusCodeConverter, "status")

app_name = "learn"

urlpatterns = [
    path("learn/", views.lesson_list, name="lesson_list"),
    path("learn/<slug:slug>/", views.lesson_detail, name="lesson_detail"),
    path("codes/", views.code_list, name="code_list"),
    path("search/", views.site_search, name="search"),
    path("codes/<status:code>/", views.code_detail, name="code_detail"),
]
