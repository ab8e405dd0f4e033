#!/usr/bin/env bash
# Memory over a long replay (issue 8): generates once a 10-million-packet lab capture
# with 10,000 flows open at once (cached outside git), replays it under explicitly
# configured caps with the metrics endpoint on, samples RSS (/proc) and the Go heap
# (/metrics) every second, and prints a table every ~5 % of the run, the peak, RSS at
# 10/50/90 %, the most flows active, the bound the caps imply, and a verdict: "flat"
# when RSS at 90 % is within 10 % of RSS at 50 %. Not run in CI.
# Usage: scripts/flatmem.sh BIN PCAP [WORKERS...]   (default workers: 1)
# Environment: FLATMEM_PACKETS (10000000), FLATMEM_CONCURRENT (10000), and the caps
# FLATMEM_FLOWS_MAX, FLATMEM_PAGES_PER_CONN, FLATMEM_PAGES_TOTAL, FLATMEM_MAX_DEVICES,
# FLATMEM_DEFRAG_BYTES, FLATMEM_TCP_IDLE (the documented defaults unless set).
set -euo pipefail
bin=${1:-bin/labwatch}
pcap=${2:-$HOME/.cache/labwatch/flat-10m.pcap}
shift $(($# < 2 ? $# : 2))
workers=("${@:-1}")
packets=${FLATMEM_PACKETS:-10000000}
concurrent=${FLATMEM_CONCURRENT:-10000}
flows_max=${FLATMEM_FLOWS_MAX:-100000}
pages_per_conn=${FLATMEM_PAGES_PER_CONN:-256}
pages_total=${FLATMEM_PAGES_TOTAL:-65536}
max_devices=${FLATMEM_MAX_DEVICES:-10000}
defrag_bytes=${FLATMEM_DEFRAG_BYTES:-16777216}
tcp_idle=${FLATMEM_TCP_IDLE:-10m}

for tool in curl python3 awk; do
	command -v "$tool" >/dev/null || { echo "flatmem: needs $tool"; exit 1; }
done
truth=${pcap%.pcap}.json
if [ ! -s "$pcap" ]; then
	mkdir -p "$(dirname "$pcap")"
	# ~400 bytes a packet: check the disk before writing ~4 GB.
	need=$((packets * 450 / 1024))
	free=$(df -Pk "$(dirname "$pcap")" | awk 'NR == 2 {print $4}')
	if [ "$free" -lt $((need + 2 * 1024 * 1024)) ]; then
		echo "flatmem: $((free / 1024)) MiB free, the capture needs about $((need / 1024)) MiB"; exit 1
	fi
	echo "generating $pcap: $packets packets, $concurrent flows open at once (once; cached)"
	# Written under a temporary name so an interrupted run leaves no half capture.
	go run ./testdata/labgen -profile bench -packets "$packets" -concurrent "$concurrent" \
		-o "$pcap.tmp" >"$truth.tmp"
	mv "$truth.tmp" "$truth"
	mv "$pcap.tmp" "$pcap"
fi

tmp=$(mktemp -d)
pid=""
cleanup() {
	if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; fi
	rm -rf "$tmp"
}
trap cleanup EXIT

# The caps are written out, not left to defaults, so the ones reported are the ones
# in force.
cat >"$tmp/caps.yaml" <<EOF
max_devices: $max_devices
capture:
  flows:
    max: $flows_max
    tcp_idle: $tcp_idle
  reassembly:
    max_pages_per_conn: $pages_per_conn
    max_pages_total: $pages_total
  defrag:
    max_bytes: $defrag_bytes
EOF

# A free loopback port, so a soak or another run on the machine does not collide.
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
addr=127.0.0.1:$port

# elapsed FROM TO: seconds between two `date +%s.%N` readings.
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", b - a}'; }

# metric NAME: the value of the first sample of NAME in $tmp/metrics, 0 when absent.
metric() { awk -v k="$1" '$1 ~ "^"k"({|$)" {print $2 + 0; found = 1; exit} END {if (!found) print 0}' "$tmp/metrics"; }

for w in "${workers[@]}"; do
	samples=$tmp/samples-$w.tsv
	: >"$samples"
	start=$(date +%s.%N)
	"$bin" replay --progress=never --config "$tmp/caps.yaml" --workers "$w" --metrics "$addr" \
		--summary "$tmp/summary-$w.json" "$pcap" >/dev/null 2>"$tmp/replay-$w.err" &
	pid=$!
	while kill -0 "$pid" 2>/dev/null; do
		sleep 1
		status=$(cat "/proc/$pid/status" 2>/dev/null) || break
		rss=$(awk '$1 == "VmRSS:" {print $2}' <<<"$status")
		hwm=$(awk '$1 == "VmHWM:" {print $2}' <<<"$status")
		curl -s -m 2 "http://$addr/metrics" >"$tmp/metrics" || continue
		now=$(date +%s.%N)
		printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$(elapsed "$start" "$now")" "${rss:-0}" "${hwm:-0}" \
			"$(metric go_memstats_heap_inuse_bytes)" "$(metric labwatch_capture_packets_total)" \
			"$(metric labwatch_capture_flows_active)" "$(metric labwatch_detect_devices)" \
			"$(metric labwatch_capture_flows_evicted_total)" "$(metric labwatch_capture_reassembly_cap_hits_total)" >>"$samples"
	done
	rc=0
	wait "$pid" || rc=$?
	pid=""
	end=$(date +%s.%N)
	if [ "$rc" -ne 0 ]; then
		echo "flatmem: replay with $w worker(s) failed ($rc):"; tail -5 "$tmp/replay-$w.err"; exit 1
	fi
	python3 - "$samples" "$tmp/summary-$w.json" "$(elapsed "$start" "$end")" "$w" "$pcap" \
		"$flows_max" "$pages_per_conn" "$pages_total" "$max_devices" "$defrag_bytes" "$tcp_idle" <<'PY'
import json, os, sys
samples_path, summary_path, wall, workers, pcap = sys.argv[1:6]
flows_max, pages_per_conn, pages_total, max_devices, defrag_bytes = map(int, sys.argv[6:11])
tcp_idle = sys.argv[11]
wall = float(wall)
MB = 1 << 20
PAGE_BYTES = 1900    # one reassembly page, capture/config.go
DEVICE_BYTES = 6500  # one inventory device, README (detection)

s = json.load(open(summary_path))
total = s["packets"]
rows = []
for line in open(samples_path):
    t, rss, hwm, heap, pk, flows, devices, evicted, capped = line.split("\t")
    rows.append(dict(t=float(t), rss=int(rss) * 1024, hwm=int(hwm) * 1024, heap=float(heap),
                     pk=float(pk), flows=float(flows), devices=float(devices),
                     evicted=float(evicted), capped=float(capped)))
if not rows:
    sys.exit("flatmem: no samples (replay too short or metrics unreachable)")

def at(frac):
    """The first sample at or past frac of the packets."""
    return next((r for r in rows if r["pk"] >= frac * total), rows[-1])

print(f"\n== {pcap}: {total:,} packets, {s['bytes'] / 1e9:.2f} GB, --workers {workers}, "
      f"{os.cpu_count()} cores, replay {s['elapsed_seconds']:.1f} s "
      f"({total / max(s['elapsed_seconds'], 0.01):,.0f} packets/s), wall {wall:.1f} s with start and exit")
print(f"{'run':>5} {'sec':>7} {'packets':>12} {'RSS MB':>8} {'heap MB':>8} {'flows':>8} {'devices':>8}")
shown = set()
for k in range(1, 21):
    r = at(k / 20)
    if id(r) in shown:
        continue
    shown.add(id(r))
    print(f"{r['pk'] / total:5.0%} {r['t']:7.1f} {r['pk']:12,.0f} {r['rss'] / MB:8.0f} "
          f"{r['heap'] / MB:8.0f} {r['flows']:8,.0f} {r['devices']:8,.0f}")

peak = max(r["hwm"] for r in rows)
r10, r50, r90 = (at(f)["rss"] for f in (0.1, 0.5, 0.9))
max_flows = max(r["flows"] for r in rows)
peak_heap = max(r["heap"] for r in rows)
last = rows[-1]
print(f"packets {total:,}; peak RSS {peak / MB:.0f} MB (VmHWM); RSS at 10/50/90 %: "
      f"{r10 / MB:.0f} / {r50 / MB:.0f} / {r90 / MB:.0f} MB; max flows active {max_flows:,.0f}; "
      f"peak Go heap in use {peak_heap / MB:.0f} MB")
print(f"caps hit: {last['evicted']:,.0f} flows evicted, {last['capped']:,.0f} reassembly cap hits "
      f"(last sample)")

# The bound the caps imply: every flow slot filled at the heap cost per active flow
# seen here (all heap counted against flows, so it over-states), plus full
# out-of-order page and defragmentation buffers and a full inventory.
per_flow = peak_heap / max(max_flows, 1)
parts = [("flows.max", flows_max * per_flow),
         ("reassembly pages", pages_total * PAGE_BYTES),
         ("defrag", defrag_bytes),
         ("devices", max_devices * DEVICE_BYTES)]
bound = sum(v for _, v in parts)
print(f"caps: capture.flows.max {flows_max:,} (tcp_idle {tcp_idle}), reassembly max_pages_per_conn {pages_per_conn} / "
      f"max_pages_total {pages_total:,} (~{PAGE_BYTES} B each), defrag max_bytes {defrag_bytes / MB:.0f} MB, "
      f"detect max_devices {max_devices:,}")
print("implied heap bound: " + " + ".join(f"{n} {v / MB:,.0f} MB" for n, v in parts) +
      f" = {bound / MB:,.0f} MB (at {per_flow / 1024:.1f} KB heap per active flow, measured); "
      f"peak RSS is {peak / bound:.0%} of it")
flat = abs(r90 - r50) <= 0.10 * r50
print(f"verdict: {'flat' if flat else 'NOT flat'} (RSS at 90 % is {(r90 - r50) / r50:+.1%} from RSS at 50 %)")
PY
done
