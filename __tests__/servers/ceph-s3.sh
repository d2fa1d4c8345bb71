#!/bin/bash
# A throwaway one-node Ceph cluster (monitor + in-memory OSD + radosgw) on 127.0.0.1, for the
# S3 tests. Adapted from ../shared/reference/ceph-s3.sh (see ../shared/TESTING.md).
#
#   ceph-s3.sh start DIR RGW_PORT MON_PORT ACCESS_KEY SECRET_KEY
#   ceph-s3.sh stop DIR
#
# Every daemon detaches and writes a pid file under DIR; `stop` ends exactly those pids.
# Uploaded data lives in the OSD's RAM (memstore) and is gone when the cluster stops.
set -euo pipefail

command=${1:?usage: ceph-s3.sh start|stop DIR ...}
dir=${2:?the cluster directory is required}

stop_cluster() {
  local pids=''
  for file in "$dir"/*.pid; do
    [ -f "$file" ] && pids="$pids $(cat "$file")"
  done
  [ -z "$pids" ] && return 0
  kill $pids 2>/dev/null || true
  # Wait up to 10 s for every daemon to go, then insist.
  for _ in $(seq 50); do
    local alive=0
    for pid in $pids; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [ "$alive" = 0 ] && return 0
    sleep 0.2
  done
  kill -9 $pids 2>/dev/null || true
}

if [ "$command" = stop ]; then
  stop_cluster
  exit 0
fi

rgw_port=${3:?RGW_PORT is required}
mon_port=${4:?MON_PORT is required}
access_key=${5:?ACCESS_KEY is required}
secret_key=${6:?SECRET_KEY is required}
mon_addr="[v2:127.0.0.1:$mon_port]"

rm -rf "$dir"
mkdir -p "$dir"/{mon,osd0,log,asok}
fsid=$(cat /proc/sys/kernel/random/uuid)

# Ceph's own auth is off (only S3 signatures matter here); the "crc secure" modes keep
# radosgw from retrying auth forever; memstore keeps the OSD in RAM; pool size 1 and
# chooseleaf type 0 let a single OSD hold everything; "mon data avail crit = 0" keeps the
# monitor running on a nearly full disk; a short rgw gc wait frees overwritten objects' RAM
# soon (when the memstore device fills up, writes hang).
cat >"$dir/ceph.conf" <<CONF
[global]
fsid = $fsid
mon host = $mon_addr
public network = 127.0.0.0/8
ms mon client mode = crc secure
ms client mode = crc secure
auth cluster required = none
auth service required = none
auth client required = none
auth allow insecure global id reclaim = false
osd pool default size = 1
osd pool default min size = 1
osd pool default pg num = 8
osd pool default pgp num = 8
mon allow pool size one = true
mon warn on pool no redundancy = false
mon data avail crit = 0
mon data avail warn = 1
mon max pg per osd = 1000
osd crush chooseleaf type = 0
osd objectstore = memstore
memstore device bytes = 2147483648
osd max object size = 134217728
log file = $dir/log/\$name.log
admin socket = $dir/asok/\$name.asok
pid file = $dir/\$name.pid
run dir = $dir
keyring = $dir/keyring
mon data = $dir/mon
osd data = $dir/osd\$id
mon cluster log file = $dir/log/cluster.log
[client.rgw.test]
rgw frontends = beast endpoint=127.0.0.1:$rgw_port
rgw dns name = localhost
rgw data = $dir/rgw
rgw gc obj min wait = 10
rgw gc processor period = 10
log file = $dir/log/rgw.log
CONF
export CEPH_CONF="$dir/ceph.conf"

# Stop whatever already started when a step fails, so nothing is left running.
trap 'stop_cluster' ERR

ceph-authtool --create-keyring "$dir/keyring" --gen-key -n mon. --cap mon 'allow *' >/dev/null
monmaptool --create --fsid "$fsid" --addv a "$mon_addr" "$dir/monmap" >/dev/null
ceph-mon --mkfs -i a --monmap "$dir/monmap"
ceph-mon -i a

wait_for() {
  local what=$1 tries=$2
  shift 2
  for _ in $(seq "$tries"); do
    "$@" >/dev/null 2>&1 && return 0
    sleep 0.5
  done
  echo "ceph-s3: $what did not come up; logs in $dir/log" >&2
  return 1
}

wait_for monitor 60 timeout 5 ceph mon stat
osd_uuid=$(cat /proc/sys/kernel/random/uuid)
osd_id=$(ceph osd new "$osd_uuid")
ceph-osd -i "$osd_id" --mkfs --osd-uuid "$osd_uuid" >"$dir/log/osd-mkfs.log" 2>&1
ceph-osd -i "$osd_id"
wait_for OSD 120 bash -c "ceph osd stat | grep -q '1 up'"

radosgw -n client.rgw.test
wait_for radosgw 150 bash -c "exec 3<>/dev/tcp/127.0.0.1/$rgw_port"
radosgw-admin user create --uid test --display-name test \
  --access-key "$access_key" --secret-key "$secret_key" >/dev/null
echo "ceph-s3: radosgw on http://127.0.0.1:$rgw_port (data in $dir)"
