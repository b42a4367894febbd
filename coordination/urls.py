from django.urls import path

from coordination.views import admission, board, citizen, inbox, medcom, printouts, reports

urlpatterns = [
    path("", board.board, name="board"),
    path("admissions/new/", board.new_admission, name="new_admission"),
    path("admissions/<int:pk>/", admission.admission_page, name="admission"),
    path("admissions/<int:pk>/read/", admission.mark_read, name="admission_read"),
    path("admissions/<int:pk>/unread/", admission.mark_unread, name="admission_unread"),
    path("admissions/<int:pk>/actions/<slug:name>/", admission.admission_action, name="admission_action"),
    path("admissions/<int:pk>/cpr/", citizen.reveal_cpr, name="reveal_cpr"),
    path("board/nedbrud.pdf", printouts.downtime_board, name="downtime_board_pdf"),
    path("admissions/<int:pk>/usr.pdf", printouts.usr_citizen, name="usr_pdf"),
    path("admissions/<int:pk>/usr-kommune.pdf", printouts.usr_municipality, name="usr_municipality_pdf"),
    path("admissions/<int:pk>/pfp.pdf", printouts.pfp_pdf, name="pfp_pdf"),
    path("admissions/<int:pk>/aftalekort.pdf", printouts.aftalekort_pdf, name="aftalekort_pdf"),
    path("admissions/<int:pk>/km/<int:seq>/bilag/<int:n>/", medcom.km_attachment, name="km_attachment"),
    path("admissions/<int:pk>/km/<int:seq>/carecommunication.json", medcom.km_export, name="km_export"),
    path("medcom/gateway/", medcom.gateway, name="medcom_gateway"),
    path("indbakke/", inbox.inbox, name="inbox"),
    path("indbakke/antal/", inbox.unread_badge, name="inbox-badge"),
    path("indbakke/<int:pk>/<str:state>/", inbox.mark, name="inbox-mark"),
    path("indbakke/alle-laest/", inbox.mark_all_read, name="inbox-read-all"),
    path("indbakke/e-mail/", inbox.email_setting, name="inbox-email"),
    path("faerdigbehandlede/", inbox.waiting, name="waiting"),
    path("tal/", reports.figures_home, name="figures"),
    path("tal/faerdigbehandling/", reports.faerdigbehandling, name="figures_faerdigbehandling"),
    path("tal/rettidighed/", reports.timeliness, name="figures_timeliness"),
    path("tal/rettidighed/forpligtelser/", reports.timeliness_detail, name="figures_timeliness_detail"),
]
