from django.urls import path

from . import views

app_name = "verdict"
urlpatterns = [
    # the petitioner (the tracking page's grant, or the signed link of an e-mail)
    path("y-kien/<str:reference>/", views.answer, name="answer"),
    path("y-kien/<str:reference>/tra-loi/", views.answer_post, name="answer_post"),
    path("y-kien/<str:reference>/mo-lai/", views.reopen_post, name="reopen"),
    # voters, on a published session's results
    path("kien-nghi-cu-tri/tra-loi/<int:answer_id>/y-kien/", views.vote, name="vote"),
    # officials
    path("staff/y-kien/", views.staff_answers, name="staff_answers"),
]
