from django.urls import path

from coordination.views import board, citizen, inbox

urlpatterns = [
    path("", board.board, name="board"),
    path("admissions/<int:pk>/cpr/", citizen.reveal_cpr, name="reveal_cpr"),
    path("indbakke/", inbox.inbox, name="inbox"),
    path("indbakke/antal/", inbox.unread_badge, name="inbox-badge"),
    path("indbakke/<int:pk>/<str:state>/", inbox.mark, name="inbox-mark"),
    path("indbakke/alle-laest/", inbox.mark_all_read, name="inbox-read-all"),
    path("indbakke/e-mail/", inbox.email_setting, name="inbox-email"),
    path("faerdigbehandlede/", inbox.waiting, name="waiting"),
]
