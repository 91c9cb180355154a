from django.conf import settings


def signup(request):
    return {"signup_open": settings.SIGNUP_OPEN}
