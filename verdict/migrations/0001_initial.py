import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("petitions", "0008_events_said_as_data"),
        ("recommendations", "0005_events_said_as_data"),
    ]

    operations = [
        migrations.CreateModel(
            name="AskReminder",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("remind_on", models.DateField(verbose_name="remind on")),
                ("next_reminder_on", models.DateField(blank=True, null=True)),
                ("sent", models.BooleanField(default=False, verbose_name="reminder sent")),
                (
                    "petition",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="verdict_reminder",
                        to="petitions.petition",
                    ),
                ),
            ],
            options={
                "verbose_name": "answer reminder",
                "verbose_name_plural": "answer reminders",
                "indexes": [
                    models.Index(
                        condition=models.Q(("next_reminder_on__isnull", False)),
                        fields=["next_reminder_on", "id"],
                        name="verdict_next_reminder",
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="CitizenAnswer",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("settled", models.BooleanField(verbose_name="the matter is settled for the citizen")),
                (
                    "score",
                    models.PositiveSmallIntegerField(
                        choices=[
                            (1, "Very dissatisfied"),
                            (2, "Dissatisfied"),
                            (3, "Neither satisfied nor dissatisfied"),
                            (4, "Satisfied"),
                            (5, "Very satisfied"),
                        ],
                        verbose_name="satisfaction",
                    ),
                ),
                ("comment", models.TextField(blank=True, editable=False, verbose_name="comment")),
                ("resolved_on", models.DateField(verbose_name="answers the resolution of")),
                ("answered_at", models.DateTimeField(verbose_name="first answered at")),
                ("updated_at", models.DateTimeField(verbose_name="last changed at")),
                (
                    "petition",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="citizen_answer",
                        to="petitions.petition",
                        verbose_name="petition",
                    ),
                ),
            ],
            options={
                "verbose_name": "citizen's answer",
                "verbose_name_plural": "citizens' answers",
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("score__gte", 1), ("score__lte", 5)),
                        name="verdict_score_1_to_5",
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="Reopening",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("reopened_on", models.DateField(verbose_name="reopened on")),
                ("reason", models.TextField(verbose_name="reason")),
                ("previous_resolved_on", models.DateField(verbose_name="resolved on (before reopening)")),
                ("previous_outcome", models.CharField(max_length=16, verbose_name="outcome (before reopening)")),
                (
                    "previous_decision_number",
                    models.CharField(max_length=60, verbose_name="decision (before reopening)"),
                ),
                (
                    "score",
                    models.PositiveSmallIntegerField(
                        choices=[
                            (1, "Very dissatisfied"),
                            (2, "Dissatisfied"),
                            (3, "Neither satisfied nor dissatisfied"),
                            (4, "Satisfied"),
                            (5, "Very satisfied"),
                        ],
                        verbose_name="satisfaction",
                    ),
                ),
                ("comment", models.TextField(blank=True, editable=False, verbose_name="comment")),
                ("new_due_on", models.DateField(verbose_name="new resolution due")),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                (
                    "petition",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="reopening",
                        to="petitions.petition",
                        verbose_name="petition",
                    ),
                ),
            ],
            options={
                "verbose_name": "reopening",
                "verbose_name_plural": "reopenings",
                "ordering": ["-reopened_on", "-id"],
                "indexes": [
                    models.Index(fields=["previous_resolved_on"], name="verdict_reopened_resolution")
                ],
            },
        ),
        migrations.CreateModel(
            name="VoterVote",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("voter", models.CharField(editable=False, max_length=64)),
                ("settled", models.BooleanField(verbose_name="settled")),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                (
                    "answer",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="voter_votes",
                        to="recommendations.answer",
                    ),
                ),
            ],
            options={
                "verbose_name": "voter's verdict",
                "verbose_name_plural": "voters' verdicts",
                "constraints": [
                    models.UniqueConstraint(fields=("answer", "voter"), name="verdict_one_vote_per_browser")
                ],
            },
        ),
    ]
