#!/usr/bin/env bash
# Schemathesis against the sandbox binary with the project's spec: builds iamport-sandbox, starts
# it on a free port, gets a token, runs schemathesis (bounded examples and time), stops the
# sandbox. Passes only with 0 server errors, 0 undocumented statuses or content types and 0
# response-schema violations. Run from anywhere inside the workspace.
#
#   SCHEMATHESIS_MAX_EXAMPLES (default 25 per operation and phase), SCHEMATHESIS_MAX_TIME
#   (default 150 s for the whole run), SCHEMATHESIS_SEED (default 1: the same cases every run),
#   SCHEMATHESIS_REPORT_DIR (default: a temporary directory, kept on failure) tune it.
set -euo pipefail

version="4.32.5"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
cd "$root"

if [[ "$(python3 -c 'import importlib.metadata as m; print(m.version("schemathesis"))' 2>/dev/null)" != "$version" ]]; then
  python3 -m pip install --quiet --disable-pip-version-check "schemathesis==$version"
fi

report_dir="${SCHEMATHESIS_REPORT_DIR:-$(mktemp -d)}"
mkdir -p "$report_dir"
source "$here/start_sandbox.sh"

# The sandbox's test credentials (iamport_sandbox::TEST_API_KEY / TEST_API_SECRET).
token="$(python3 - "$url" <<'PY'
import json, sys, urllib.request
body = json.dumps({"imp_key": "imp_apikey", "imp_secret": "sandboxSecretForImpApikeyOnly"}).encode()
request = urllib.request.Request(sys.argv[1] + "/users/getToken", body, {"Content-Type": "application/json"})
print(json.load(urllib.request.urlopen(request))["response"]["access_token"])
PY
)"

echo "sandbox at $url; schemathesis $version, report in $report_dir"
status=0
# From the report directory: schemathesis keeps a `.schemathesis/` cache in its working directory.
(cd "$report_dir" && st run "$root/spec/iamport.json" \
  --url "$url" \
  --header "Authorization: Bearer $token" \
  --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
  --max-examples "${SCHEMATHESIS_MAX_EXAMPLES:-25}" \
  --max-time "${SCHEMATHESIS_MAX_TIME:-150}" \
  --seed "${SCHEMATHESIS_SEED:-1}" \
  --phases examples,coverage,fuzzing \
  --workers 2 \
  --request-timeout 10 \
  --suppress-health-check all \
  --no-color \
  --generation-database none \
  --generation-with-security-parameters false \
  --report junit,ndjson --report-dir "$report_dir") || status=$?
if [[ $status -ne 0 ]]; then
  echo "schemathesis found failures (exit $status); reports kept in $report_dir" >&2
  exit "$status"
fi
[[ -n "${SCHEMATHESIS_REPORT_DIR:-}" ]] || rm -rf "$report_dir"
