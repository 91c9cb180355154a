from django.urls import path

from meetings.vignettes import views as vignettes

app_name = "vignettes"

urlpatterns = [
    path("meetings/<int:pk>/vignettes/new/", vignettes.vignette_create, name="vignette_create"),
    path("vignettes/<int:pk>/", vignettes.vignette_detail, name="vignette"),
    path("vignettes/<int:pk>/edit/", vignettes.vignette_edit, name="vignette_edit"),
    path("vignettes/<int:pk>/check/", vignettes.vignette_check, name="vignette_check"),
    path("vignettes/<int:pk>/share/", vignettes.vignette_share, name="vignette_share"),
    path("vignettes/<int:pk>/withdraw/", vignettes.vignette_withdraw, name="vignette_withdraw"),
]
