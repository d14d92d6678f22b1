from django.urls import path

from quiz import views

app_name = "quiz"

urlpatterns = [
    path("quiz/", views.quiz_home, name="quiz_home"),
    path("quiz/attempts/<int:attempt_id>/", views.attempt_resume, name="attempt_resume"),
    path("quiz/attempts/<int:attempt_id>/<int:number>/", views.question, name="question"),
    path("quiz/attempts/<int:attempt_id>/results/", views.results, name="results"),
    path("quiz/attempts/<int:attempt_id>/finish/", views.attempt_finish, name="attempt_finish"),
    path("quiz/attempts/<int:attempt_id>/retry/", views.retry_missed, name="retry_missed"),
    path("quiz/check/<slug:slug>/<int:number>/", views.check_answer, name="check_answer"),
    path("quiz/questions/<slug:slug>/practise/", views.practise_question, name="practise_question"),
    path("quiz/<slug:slug>/", views.quiz_detail, name="quiz_detail"),
    path("quiz/<slug:slug>/start/", views.attempt_start, name="attempt_start"),
]
