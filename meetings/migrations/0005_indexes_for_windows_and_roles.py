from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0003_professional_inami_number'),
        ('meetings', '0004_invitee_sent_sequence'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name='invitation',
            index=models.Index(fields=['user', 'role'], name='invitation_user_role_idx'),
        ),
        migrations.AddIndex(
            model_name='invitation',
            index=models.Index(fields=['meeting', 'user'], name='invitation_meeting_user_idx'),
        ),
        migrations.AddIndex(
            model_name='meeting',
            index=models.Index(fields=['end'], name='meeting_end_idx'),
        ),
        migrations.AddIndex(
            model_name='meeting',
            index=models.Index(fields=['network', 'kind', 'end'], name='meeting_network_kind_end_idx'),
        ),
    ]
