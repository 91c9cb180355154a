import unicodedata

from django.db import migrations, models


def _fold(text):
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def fill_search_names(apps, schema_editor):
    """Existing people become findable by the picker (the model's save() keeps it up to date)."""
    User = apps.get_model("accounts", "User")
    users = list(User.objects.only("pk", "first_name", "last_name"))
    for user in users:
        user.search_name = f" {_fold(user.first_name)} {_fold(user.last_name)} "
    User.objects.bulk_update(users, ["search_name"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="search_name",
            field=models.CharField(db_index=True, default="", editable=False, max_length=320),
        ),
        migrations.RunPython(fill_search_names, migrations.RunPython.noop),
    ]
