from django.urls import path

from coordination.views import board, printouts

urlpatterns = [
    path("", board.board, name="board"),
    path("board/nedbrud.pdf", printouts.downtime_board, name="downtime_board_pdf"),
    path("admissions/<int:pk>/usr.pdf", printouts.usr_citizen, name="usr_pdf"),
    path("admissions/<int:pk>/usr-kommune.pdf", printouts.usr_municipality, name="usr_municipality_pdf"),
    path("admissions/<int:pk>/pfp.pdf", printouts.pfp_pdf, name="pfp_pdf"),
    path("admissions/<int:pk>/aftalekort.pdf", printouts.aftalekort_pdf, name="aftalekort_pdf"),
]
