import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('situations', '0001_initial'),
    ]

    operations = [
        migrations.AlterField(
            model_name='concertation',
            name='facilitator',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='situations.member', verbose_name='animation'),
        ),
    ]
