from django.urls import path

from quiz.progress import views

app_name = "progress"

urlpatterns = [
    path("continue/", views.continue_path, name="continue"),
    path("progress/", views.dashboard, name="dashboard"),
    path("progress/export/", views.export, name="export"),
    path("progress/delete/", views.delete, name="delete"),
    path("progress/practise/", views.practise_start, name="practise_start"),
    path("progress/lessons/<slug:slug>/", views.lesson_done, name="lesson_done"),
    path("review/", views.review_home, name="review"),
    path("review/start/", views.review_start, name="review_start"),
    path("review/mistakes/", views.mistakes_start, name="mistakes_start"),
]
