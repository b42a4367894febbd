from django.urls import path

from coordination.views import admission, board

urlpatterns = [
    path("", board.board, name="board"),
    path("admissions/new/", board.new_admission, name="new_admission"),
    path("admissions/<int:pk>/", admission.admission_page, name="admission"),
    path("admissions/<int:pk>/read/", admission.mark_read, name="admission_read"),
    path("admissions/<int:pk>/unread/", admission.mark_unread, name="admission_unread"),
    path("admissions/<int:pk>/actions/<slug:name>/", admission.admission_action, name="admission_action"),
]
