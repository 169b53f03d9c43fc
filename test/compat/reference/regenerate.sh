#!/usr/bin/env bash
# Regenerates the fixtures and goldens with the Python reference. Needs a reference venv
# (DX_REF, default /tmp/dx-ref, built by python-reference.sh) and PostgreSQL with pg_dump/psql.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
venv=${DX_REF:-/tmp/dx-ref}
[ -x "$venv/bin/python" ] || { echo "no reference venv at $venv (set DX_REF)" >&2; exit 1; }
export DENDRUX_TEST_POSTGRES_URL=${DENDRUX_TEST_POSTGRES_URL:-postgresql://postgres@127.0.0.1:5432/postgres}
"$venv/bin/python" "$here/write_fixtures.py"
