#!/bin/bash
# Installs what the S3 tests need: Ceph's radosgw with a monitor and an OSD, run by
# __tests__/servers/ceph-s3.sh as a throwaway in-memory cluster. Safe to run again: it does
# nothing when the programs are already there. Without them the tests fall back to the
# lighter @20minutes/s3rver and say so in their log.
set -euo pipefail

missing=0
for program in radosgw radosgw-admin ceph-mon ceph-osd ceph monmaptool ceph-authtool; do
  command -v "$program" >/dev/null 2>&1 || missing=1
done
if [ "$missing" = 0 ]; then
  echo "install-s3: Ceph is already installed ($(ceph --version | cut -d' ' -f1-3))"
  exit 0
fi

sudo=''
[ "$(id -u)" = 0 ] || sudo='sudo'
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update
$sudo apt-get install -y --no-install-recommends radosgw ceph-mon ceph-osd
echo "install-s3: installed $(ceph --version | cut -d' ' -f1-3)"
