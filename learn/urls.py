from django.urls import path

from learn import views

app_name = "learn"

urlpatterns = [
    path("learn/", views.lesson_list, name="lesson_list"),
    path("learn/<slug:slug>/", views.lesson_detail, name="lesson_detail"),
    path("codes/", views.code_list, name="code_list"),
    path("codes/<int:code>/", views.code_detail, name="code_detail"),
]
