"""Keep a local copy of the published briefs by the change feed.

    python examples/mirror.py https://briefs.example.org mirror.json [--token KEY]

Each run reads the changes after the last `seq` it stored (`/api/v1/changes/`
with `expand=brief`), stores each brief by its permanent id, removes those
withdrawn or deleted, and saves the new `seq` with the copy. Run it from cron,
or on each webhook. Only the standard library is needed.
"""

import argparse
import json
import os
import sys
import tempfile
import urllib.parse
import urllib.request

GONE = {"withdrawn", "deleted"}


def load(path):
    try:
        with open(path, encoding="utf-8") as file:
            return json.load(file)
    except FileNotFoundError:
        return {"last_seq": 0, "briefs": {}}


def save(path, state):
    """Write `state` whole or not at all: a crash leaves the last copy."""
    folder = os.path.dirname(os.path.abspath(path))
    with tempfile.NamedTemporaryFile(
        "w", dir=folder, delete=False, encoding="utf-8"
    ) as file:
        json.dump(state, file, indent=1, sort_keys=True)
    os.replace(file.name, path)


def get(url, token=None):
    headers = {"Accept": "application/json"}
    if token:
        headers["Authorization"] = f"Token {token}"
    request = urllib.request.Request(url, headers=headers)
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)


def sync(site, state, token=None):
    """Apply every change after `state["last_seq"]`; return how many."""
    query = urllib.parse.urlencode(
        {"after": state["last_seq"], "expand": "brief", "limit": 100}
    )
    url = f"{site.rstrip('/')}/api/v1/changes/?{query}"
    applied = 0
    while url:
        page = get(url, token)
        for change in page["results"]:
            brief = change["brief"]
            if change["kind"] in GONE or brief.get("status") == "withdrawn":
                state["briefs"].pop(change["id"], None)
            else:
                state["briefs"][change["id"]] = brief
            applied += 1
        state["last_seq"] = page["last_seq"]
        url = page["next"]
    return applied


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", help="The site's address, e.g. https://example.org")
    parser.add_argument("path", help="The JSON file that holds the copy.")
    parser.add_argument("--token", help="An API token (partners see embargoes).")
    arguments = parser.parse_args(argv)
    state = load(arguments.path)
    applied = sync(arguments.site, state, arguments.token)
    save(arguments.path, state)
    print(f"{applied} changes applied; up to seq {state['last_seq']}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
