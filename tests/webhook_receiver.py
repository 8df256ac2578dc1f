"""A real HTTP receiver on 127.0.0.1 for webhook tests."""

import http.server
import threading

from standardwebhooks import Webhook, WebhookVerificationError


class Receiver:
    """Accept POSTs on a random local port; verify each with `secret`.

    `answers` is the list of status codes to give, one per request; once it is
    used up every request gets 204. `delay` (seconds) slows each answer.
    """

    def __init__(self, secret, answers=(), delay=0):
        self.secret = secret
        self.answers = list(answers)
        self.delay = delay
        self.requests = []  # (headers, body, verified payload or None)
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                headers = {k.lower(): v for k, v in self.headers.items()}
                try:
                    verified = Webhook(receiver.secret).verify(body, headers)
                except WebhookVerificationError:
                    verified = None
                receiver.requests.append((headers, body, verified))
                if receiver.delay:
                    threading.Event().wait(receiver.delay)
                code = receiver.answers.pop(0) if receiver.answers else 204
                self.send_response(code)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hooks"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    @property
    def verified(self):
        return [payload for _, _, payload in self.requests if payload is not None]
