from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("meetings", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="participant",
            name="role",
            field=models.CharField(choices=[("host", "Host"), ("alternative_host", "Alternative Host"), ("co_host", "Co Host"), ("attendee", "Attendee")], default="attendee", max_length=20),
        ),
        migrations.AddField(
            model_name="participant",
            name="removed",
            field=models.BooleanField(default=False, help_text="A host removed them from the meeting."),
        ),
    ]
