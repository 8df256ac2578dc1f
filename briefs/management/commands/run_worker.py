"""Run the background worker: `manage.py run_worker`.

It wraps the worker of the configured task backend (`TASK_QUEUE_URL`): the
database's `db_worker` by default, RQ's `rqworker` on Redis. On start it
queues the rendering of every brief without a current rendering, so that a
deploy that changed the templates or a content import needs nothing more, and
the task that makes scheduled go-lives and embargo ends into changes (it queues
itself again for the next such moment).
"""

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends

from briefs.rendering import render_stale_task
from briefs.services.feed import timed_changes_task


class Command(BaseCommand):
    help = (
        "Run the background tasks (rendering briefs after changes and deploys) "
        "with the worker of the configured task backend."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch",
            action="store_true",
            help="Run the tasks waiting now, then stop.",
        )

    def handle(self, *args, batch, **options):
        backend = type(task_backends[DEFAULT_TASK_BACKEND_ALIAS]).__module__
        verbosity = options["verbosity"]
        render_stale_task.enqueue()
        # Scheduled go-lives and embargo ends become changes from here on.
        timed_changes_task.enqueue()
        if backend.startswith("django_tasks_db"):
            arguments = ["--batch"] if batch else []
            # No reloading: `make run` stops the worker with the dev server.
            call_command(
                "db_worker",
                *arguments,
                "--no-startup-delay",
                "--no-reload",
                verbosity=verbosity,
            )
        elif backend.startswith("django_tasks_rq"):
            call_command(
                "rqworker", "default", job_class="django_tasks_rq.Job", burst=batch
            )
        elif verbosity >= 1:
            self.stdout.write("Tasks run where they are queued; no worker needed.")
