from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('mind', '0003_transcription_started_at'),
    ]

    operations = [
        migrations.AddField(
            model_name='conference',
            name='janus_server',
            field=models.CharField(blank=True, default='', max_length=64),
        ),
    ]
