# Sourced by python_sdk.sh and schemathesis.sh: builds the iamport-sandbox binary, starts it on a
# free port, sets `url` to its base URL and stops it when the calling script exits. Expects the
# caller to have `cd`ed to the workspace root.

cargo build --quiet -p iamport-sandbox --features cli --bin iamport-sandbox
target_dir="$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')"
sandbox_out="$(mktemp)"
"$target_dir/debug/iamport-sandbox" --port 0 >"$sandbox_out" 2>/dev/null &
sandbox_pid=$!
trap 'kill "$sandbox_pid" 2>/dev/null || true; wait "$sandbox_pid" 2>/dev/null || true; rm -f "$sandbox_out"' EXIT

url=""
for _ in $(seq 1 100); do
  url="$(head -n 1 "$sandbox_out" 2>/dev/null || true)"
  [[ "$url" == http://127.0.0.1:* ]] && break
  if ! kill -0 "$sandbox_pid" 2>/dev/null; then
    echo "iamport-sandbox exited before printing its URL" >&2
    exit 1
  fi
  sleep 0.1
done
[[ "$url" == http://127.0.0.1:* ]] || { echo "iamport-sandbox did not print its URL" >&2; exit 1; }
