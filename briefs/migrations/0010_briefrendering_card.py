from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("briefs", "0009_search_vector_inline"),
    ]

    operations = [
        migrations.AddField(
            model_name="briefrendering",
            name="card",
            field=models.TextField(
                blank=True,
                help_text="The brief's card in the lists of briefs: home, topics, "
                "search.",
            ),
        ),
    ]
