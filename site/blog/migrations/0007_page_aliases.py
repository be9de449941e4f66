from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("blog", "0006_offsets_and_pages"),
    ]

    operations = [
        migrations.AddField(
            model_name="page",
            name="aliases",
            field=models.JSONField(default=list),
        ),
    ]
