"""Send one daily digest to many subscribers and say how long it took and how
much memory the sending process needed at most.

    .venv/bin/python bench/newsletters.py [--subscribers 100000] [--briefs 3]

Everything stays on this machine: a fresh SQLite database in a temporary
folder, and an SMTP server that accepts and discards every message (aiosmtpd's
Sink, in a process of its own so that it does not share this one's time or
memory). The digest goes out as the worker sends it (newsletters.sending), in
batches of BATCH_SIZE readers over one SMTP connection each.
"""

import argparse
import datetime
import os
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port, timeout=15):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"The SMTP sink did not start on port {port}.")


def peak_rss_mib():
    # ru_maxrss is in KiB on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscribers", type=int, default=100_000)
    parser.add_argument("--briefs", type=int, default=3)
    arguments = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="bench-newsletters-"))
    port = free_port()
    sink = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "aiosmtpd",
            "-n",
            "-l",
            f"127.0.0.1:{port}",
            "-c",
            "aiosmtpd.handlers.Sink",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_port(port)
        os.environ.update(
            DJANGO_SETTINGS_MODULE="newsroom.settings",
            SECRET_KEY="bench-only",
            DATABASE_URL=f"sqlite:///{folder / 'bench.sqlite3'}",
            EMAIL_URL=f"smtp://127.0.0.1:{port}",
            TASK_QUEUE_URL="immediate:",
            LOG_LEVEL="WARNING",
        )
        sys.path.insert(0, str(ROOT))
        run(arguments)
    finally:
        sink.terminate()
        sink.wait(timeout=10)
        shutil.rmtree(folder, ignore_errors=True)


def run(arguments):
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    call_command("migrate", verbosity=0)

    from briefs.models import Body, Brief, Vote
    from newsletters import sending
    from newsletters.models import Delivery, Frequency, Subscriber

    now = timezone.now()
    assembly = Body.objects.get(slug="un-general-assembly")
    for number in range(arguments.briefs):
        brief = Brief.objects.create(
            title=f"Assembly votes on measure {number}",
            summary="Members voted on a measure; the tally and the chart follow.",
            status=Brief.Status.PUBLISHED,
            published_at=now - datetime.timedelta(hours=number + 1),
        )
        brief.votes.add(
            Vote.objects.create(
                body=assembly,
                title=f"Measure {number}",
                date=now.date(),
                yes=93,
                no=18,
                abstain=65,
                outcome="adopted",
            )
        )
    confirmed = now - datetime.timedelta(days=3)
    due = now - datetime.timedelta(minutes=1)
    start = time.perf_counter()
    Subscriber.objects.bulk_create(
        (
            Subscriber(
                email=f"reader{n}@example.org",
                confirmed_at=confirmed,
                frequency=Frequency.DAILY,
                next_digest_at=due,
            )
            for n in range(arguments.subscribers)
        ),
        batch_size=5000,
    )
    print(
        f"{arguments.subscribers} subscribers made in "
        f"{time.perf_counter() - start:.1f} s",
        file=sys.stderr,
    )

    before = peak_rss_mib()
    start = time.perf_counter()
    sent = sending.send_due_digests()
    elapsed = time.perf_counter() - start
    after = peak_rss_mib()

    deliveries = Delivery.objects.filter(sent_at__isnull=False).count()
    print(
        f"digest: {sent} emails ({deliveries} deliveries of "
        f"{arguments.briefs} briefs) in {elapsed:.1f} s, "
        f"{sent / elapsed:.0f} emails/s, batches of {sending.BATCH_SIZE}"
    )
    print(
        f"peak memory of the sending process: {after:.0f} MiB "
        f"({before:.0f} MiB before sending)"
    )
    if sent != arguments.subscribers:
        raise SystemExit(f"Sent {sent}, expected {arguments.subscribers}.")


if __name__ == "__main__":
    main()
