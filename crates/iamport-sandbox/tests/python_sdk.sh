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

source "$here/start_sandbox.sh"

echo "sandbox at $url"
python3 "$here/python_sdk.py" "$url"
