#!/usr/bin/env bash
# Builds the iamport-sandbox binary, starts it on a free port, runs the official Python SDK
# (iamport-rest-client==0.9.0) against it, and stops it. Run from anywhere inside the workspace.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
cd "$root"

if ! python3 -c "import iamport" 2>/dev/null; then
  python3 -m pip install --quiet "iamport-rest-client==0.9.0"
fi

cargo build --quiet -p iamport-sandbox --bin iamport-sandbox
target_dir="$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')"
bin="$target_dir/debug/iamport-sandbox"

out="$(mktemp)"
"$bin" --port 0 >"$out" 2>/dev/null &
pid=$!
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -f "$out"' EXIT

url=""
for _ in $(seq 1 100); do
  url="$(head -n 1 "$out" 2>/dev/null || true)"
  [[ "$url" == http://127.0.0.1:* ]] && break
  if ! kill -0 "$pid" 2>/dev/null; then
    echo "iamport-sandbox exited before printing its URL" >&2
    exit 1
  fi
  sleep 0.1
done
if [[ "$url" != http://127.0.0.1:* ]]; then
  echo "iamport-sandbox did not print its URL" >&2
  exit 1
fi

echo "sandbox at $url"
python3 "$here/python_sdk.py" "$url"
