"""The app's URLs plus the floor view the benchmarks measure against (bench/board.py)."""

from board import floor_view
from django.urls import path

from config.urls import urlpatterns as app_urlpatterns

urlpatterns = [path("bench/floor/", floor_view), *app_urlpatterns]
