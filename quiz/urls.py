from django.urls import path

from quiz import views

app_name = "quiz"

urlpatterns = [
    path("quiz/", views.quiz_home, name="quiz_home"),
    path("progress/", views.progress, name="progress"),
]
