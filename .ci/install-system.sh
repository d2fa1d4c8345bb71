#!/usr/bin/env bash
# Debian packages the tests use, installed only when missing (idempotent, root as on CI):
# GNU time for peak-memory measurements, pytest for the system python3 (PyPI is not
# reachable here), and the S3 server (when its installer exists).
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
[ -x /usr/bin/time ] || missing+=(time)
/usr/bin/python3 -c 'import pytest' 2>/dev/null || missing+=(python3-pytest)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
if [ -f .ci/install-s3.sh ]; then bash .ci/install-s3.sh; fi
