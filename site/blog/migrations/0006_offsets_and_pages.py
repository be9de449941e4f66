from django.db import migrations, models


def forget_hashes(apps, schema_editor):
    # rows synced before this migration have no offset: forgetting their hashes makes
    # the next build read every file again, and store the offset each date was written in
    apps.get_model("blog", "Post").objects.update(source_hash="")


class Migration(migrations.Migration):
    dependencies = [
        ("blog", "0005_post_series"),
    ]

    operations = [
        migrations.AddField(
            model_name="post",
            name="utc_offset",
            field=models.IntegerField(null=True),
        ),
        migrations.CreateModel(
            name="Page",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("source_path", models.CharField(max_length=500, unique=True)),
                ("source_hash", models.CharField(max_length=64)),
                ("url", models.CharField(max_length=500, unique=True)),
                ("title", models.CharField(max_length=500)),
                ("body_html", models.TextField()),
                ("markdown_key", models.CharField(max_length=64)),
                ("extra", models.JSONField(default=dict)),
            ],
            options={"ordering": ["url"]},
        ),
        migrations.RunPython(forget_hashes, migrations.RunPython.noop),
    ]
