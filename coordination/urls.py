from django.urls import path

from coordination.views import board, citizen

urlpatterns = [
    path("", board.board, name="board"),
    path("admissions/<int:pk>/cpr/", citizen.reveal_cpr, name="reveal_cpr"),
]
