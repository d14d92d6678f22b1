from django.urls import path

from quiz import progress_views, views

app_name = "quiz"

urlpatterns = [
    path("quiz/", views.quiz_home, name="quiz_home"),
    path("quiz/attempts/<int:attempt_id>/", views.attempt_resume, name="attempt_resume"),
    path("quiz/attempts/<int:attempt_id>/<int:number>/", views.question, name="question"),
    path("quiz/attempts/<int:attempt_id>/results/", views.results, name="results"),
    path("quiz/attempts/<int:attempt_id>/finish/", views.attempt_finish, name="attempt_finish"),
    path("quiz/attempts/<int:attempt_id>/retry/", views.retry_missed, name="retry_missed"),
    path("quiz/<slug:slug>/", views.quiz_detail, name="quiz_detail"),
    path("quiz/<slug:slug>/start/", views.attempt_start, name="attempt_start"),
    path("progress/", progress_views.dashboard, name="progress"),
    path("progress/export/", progress_views.export, name="progress_export"),
    path("progress/delete/", progress_views.delete, name="progress_delete"),
    path("progress/practise/", progress_views.practise_start, name="practise_start"),
    path("progress/lessons/<slug:slug>/", progress_views.lesson_done, name="lesson_done"),
    path("review/", progress_views.review_home, name="review"),
    path("review/start/", progress_views.review_start, name="review_start"),
    path("review/mistakes/", progress_views.mistakes_start, name="mistakes_start"),
]
