"""Writes the seed corpora of the fuzz targets from the repository's own examples:

- fuzz/corpus/client_response/: every response fixture of tests/fixtures (envelopes);
- fuzz/corpus/sandbox_request/: every request body of the wire snapshots (tests/snapshots), as
  `operationId\\nContent-Type\\nbody`, once as JSON and once form-encoded with bracket keys.

Usage: python3 fuzz/seeds.py (from the repository root or anywhere)."""
import json
import pathlib
import re
import urllib.parse

root = pathlib.Path(__file__).resolve().parent.parent
corpus = root / "fuzz" / "corpus"
spec = json.loads((root / "spec" / "iamport.json").read_text())

routes = []
for path, item in spec["paths"].items():
    pattern = re.compile("^" + re.sub(r"\{[^}]+\}", "[^/]+", path) + "$")
    literal = len(re.sub(r"\{[^}]+\}", "", path))
    for method, op in item.items():
        if isinstance(op, dict) and "operationId" in op:
            routes.append((literal, method.upper(), pattern, op["operationId"]))
routes.sort(key=lambda r: -r[0])  # literal paths before templates


def operation(method, path):
    for _, m, pattern, op in routes:
        if m == method and pattern.match(path):
            return op
    return None


def form_pairs(value, prefix=""):
    if isinstance(value, dict):
        for k, v in value.items():
            yield from form_pairs(v, f"{prefix}[{k}]" if prefix else k)
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from form_pairs(v, f"{prefix}[{i}]")
    elif value is None:
        return
    else:
        yield prefix, "true" if value is True else "false" if value is False else str(value)


client = corpus / "client_response"
client.mkdir(parents=True, exist_ok=True)
for fixture in sorted((root / "tests" / "fixtures").glob("*.json")):
    (client / fixture.name).write_bytes(fixture.read_bytes())

sandbox = corpus / "sandbox_request"
sandbox.mkdir(parents=True, exist_ok=True)
count = 0
for snap in sorted((root / "tests" / "snapshots").glob("*.snap")):
    lines = snap.read_text().split("\n")
    try:
        start = lines.index("---", 1) + 1
    except ValueError:
        continue
    request = lines[start].split(" ")
    if len(request) != 2:
        continue
    op = operation(request[0], request[1].split("?")[0])
    body = next((l for l in lines[start:] if l.startswith("{")), None)
    if op is None or body is None:
        continue
    (sandbox / f"{snap.stem}.json").write_bytes(f"{op}\napplication/json\n{body}".encode())
    form = urllib.parse.urlencode(list(form_pairs(json.loads(body))))
    (sandbox / f"{snap.stem}.form").write_bytes(
        f"{op}\napplication/x-www-form-urlencoded\n{form}".encode())
    count += 2
print(f"seeds: {len(list(client.iterdir()))} client responses, {count} sandbox requests")
