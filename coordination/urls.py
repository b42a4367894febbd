from django.urls import path

from coordination.views import board

urlpatterns = [
    path("", board.board, name="board"),
]
