from django.urls import path

from quiz.interview import views

app_name = "interview"

urlpatterns = [
    path("", views.home, name="home"),
    path("cheatsheet/", views.cheatsheet, name="cheatsheet"),
    path("mixed/", views.drill_mixed, name="mixed"),
    path("due/", views.drill_due, name="due"),
    path("lessons/<slug:slug>/", views.drill_topic, name="topic"),
    path("lessons/<slug:slug>/<slug:key>/", views.followup, name="followup"),
    path("lessons/<slug:slug>/<slug:key>/rate/", views.rate, name="rate"),
    path("mock/", views.mock_home, name="mock_home"),
    path("mock/start/", views.mock_start, name="mock_start"),
    path("mock/<int:mock_id>/", views.mock, name="mock"),
    path("mock/<int:mock_id>/<int:number>/", views.mock_question, name="mock_question"),
    path("mock/<int:mock_id>/<int:number>/rate/", views.mock_rate, name="mock_rate"),
]
