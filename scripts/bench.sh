#!/usr/bin/env bash
# Replays a large generated lab capture through labwatch, tcpdump and tshark and
# prints one table. Usage: scripts/bench.sh BIN PCAP
set -euo pipefail
bin=${1:-bin/labwatch}
pcap=${2:-$HOME/.cache/labwatch/bench.pcap}
mkdir -p "$(dirname "$pcap")"
if [ ! -s "$pcap" ]; then
	echo "generating $pcap (once; cached)"
	go run ./testdata/labgen -profile bench -o "$pcap" >/dev/null
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# measure NAME CMD...: wall seconds and peak RSS (KiB) via GNU time's %e/%M.
measure() {
	local name=$1; shift
	/usr/bin/time -f "%e %M" -o "$tmp/$name.time" "$@" >"$tmp/$name.out" 2>"$tmp/$name.err" || {
		echo "$name failed:"; tail -5 "$tmp/$name.err"; return 1; }
}
command -v /usr/bin/time >/dev/null || { echo "needs GNU time (apt-get install time)"; exit 1; }

measure labwatch "$bin" replay --progress=never --summary="$tmp/summary.json" "$pcap"
measure labwatch2 "$bin" replay --workers 2 --progress=never "$pcap"
have_tcpdump=0; have_tshark=0
if command -v tcpdump >/dev/null; then measure tcpdump tcpdump -r "$pcap" -w /dev/null && have_tcpdump=1; fi
if command -v tshark >/dev/null; then
	measure tshark tshark -r "$pcap" -d tcp.port==2575,hl7 -q -z io,phs && have_tshark=1
fi

python3 - "$tmp" "$pcap" "$have_tcpdump" "$have_tshark" <<'PY'
import json, os, sys
tmp, pcap, have_td, have_ts = sys.argv[1], sys.argv[2], sys.argv[3] == "1", sys.argv[4] == "1"
s = json.load(open(os.path.join(tmp, "summary.json")))
pk, by = s["packets"], s["bytes"]
msgs = sum(sum(v.values()) for v in s["messages"].values())
def t(name):
    sec, rss = open(os.path.join(tmp, name + ".time")).read().split()
    return float(sec), int(rss) / 1024
rows = [("labwatch (full pipeline)",) + t("labwatch"), ("labwatch --workers 2",) + t("labwatch2")]
if have_td: rows.append(("tcpdump -r F -w /dev/null",) + t("tcpdump"))
if have_ts: rows.append(("tshark -d tcp.port==2575,hl7 -z io,phs",) + t("tshark"))
print(f"capture: {pcap}: {pk} packets, {by/1e6:.1f} MB, {by/pk:.0f} bytes/packet, {msgs} messages parsed by labwatch")
print(f"machine: {os.cpu_count()} cores, {os.uname().machine}")
print(f"{'tool':40} {'seconds':>8} {'packets/s':>12} {'Gbit/s':>7} {'peak RSS MB':>12}")
for name, sec, rss in rows:
    sec = max(sec, 0.01)
    print(f"{name:40} {sec:8.2f} {pk/sec:12,.0f} {by*8/sec/1e9:7.2f} {rss:12.0f}")
lw = rows[0][1]
print(f"labwatch messages/s: {msgs/max(lw,0.01):,.0f}")
rt = s.get("runtime", {})
if rt:
    print(f"labwatch allocations/packet: {rt.get('mallocs',0)/max(pk,1):.3f}, GC CPU fraction: {rt.get('gc_cpu_fraction',0):.3%}")
print(f"labwatch --workers 2 / one worker: {lw/max(rows[1][1],0.01):.2f}x")
for name, sec, _ in rows[2:]:
    print(f"ratio labwatch/{name.split()[0]} throughput: {sec/max(lw,0.01):.2f}x")
PY
