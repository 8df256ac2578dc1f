"""The progress bar that long-running management commands draw."""

import time


class ProgressBar:
    """A one-line progress bar redrawn in place on a command's output stream."""

    def __init__(self, stream, width=30, unit="briefs"):
        self.stream = stream
        self.width = width
        self.unit = unit
        self.started = time.monotonic()

    def __call__(self, done, total):
        elapsed = time.monotonic() - self.started
        rate = done / elapsed if elapsed else 0
        left = (total - done) / rate if rate else 0
        filled = self.width * done // total if total else self.width
        self.stream.write(
            f"\r[{'#' * filled}{'.' * (self.width - filled)}] "
            f"{done:,}/{total:,} {self.unit}  {rate:,.0f}/s  {left:,.0f}s left ",
            ending="\n" if done >= total else "",
        )
        self.stream.flush()
