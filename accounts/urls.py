from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("", views.directory, name="directory"),
    path("invite/", views.invite_professional, name="invite"),
    path("<int:pk>/", views.organisation_detail, name="organisation"),
    path("<int:pk>/edit/", views.organisation_edit, name="organisation_edit"),
]
