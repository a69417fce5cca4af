import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import accounts.models


def give_accounts_public_ids(apps, schema_editor):
    Account = apps.get_model("accounts", "Account")
    for account in Account.objects.filter(public_id__isnull=True):
        account.public_id = accounts.models.new_account_id()
        account.save(update_fields=["public_id"])


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0001_initial"),
        ("oauth2_provider", "0022_refreshtoken_token_family_index"),
    ]

    operations = [
        # Existing accounts get their own id before the column becomes unique and required.
        migrations.AddField(
            model_name="account",
            name="public_id",
            field=models.CharField(editable=False, max_length=32, null=True, verbose_name="account id"),
        ),
        migrations.RunPython(give_accounts_public_ids, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="account",
            name="public_id",
            field=models.CharField(default=accounts.models.new_account_id, editable=False, max_length=32,
                                   unique=True, verbose_name="account id"),
        ),
        migrations.CreateModel(
            name="AuditEvent",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("created_at", models.DateTimeField(auto_now_add=True, db_index=True)),
                ("action", models.CharField(db_index=True, max_length=64)),
                ("actor_email", models.CharField(blank=True, max_length=254)),
                ("target_type", models.CharField(blank=True, max_length=100)),
                ("target_id", models.CharField(blank=True, max_length=64)),
                ("target_repr", models.CharField(blank=True, max_length=200)),
                ("ip_address", models.GenericIPAddressField(blank=True, null=True)),
                ("details", models.JSONField(blank=True, default=dict)),
                ("account", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL,
                                              related_name="+", to="accounts.account")),
                ("actor", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL,
                                            related_name="+", to=settings.AUTH_USER_MODEL)),
            ],
            options={
                "ordering": ["-created_at", "-id"],
                "indexes": [models.Index(fields=["account", "-created_at"], name="accounts_au_account_c17179_idx")],
            },
        ),
        migrations.CreateModel(
            name="TokenUsage",
            fields=[
                ("access_token", models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True,
                                                      related_name="usage", serialize=False,
                                                      to="oauth2_provider.accesstoken")),
                ("last_used_at", models.DateTimeField()),
            ],
        ),
    ]
