FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*
RUN useradd --create-home --uid 1000 concertation
WORKDIR /app

COPY requirements.lock .
RUN pip install --no-cache-dir -r requirements.lock
COPY . .
# Build-time only values: the real ones come from the environment at run time.
RUN DJANGO_ENV=development python manage.py compilemessages --ignore=.venv >/dev/null \
    && DJANGO_ENV=production SECRET_KEY=build-only-$(head -c 48 /dev/urandom | base64 | tr -d '/+=') \
       ALLOWED_HOSTS=build python manage.py collectstatic --noinput >/dev/null \
    && mkdir -p var/private && chown -R concertation var

USER concertation
EXPOSE 8000
CMD ["gunicorn", "concertation.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3"]
