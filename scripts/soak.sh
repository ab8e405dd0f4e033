#!/usr/bin/env bash
# A bounded soak: replays the generated bench capture through labwatch again and
# again for MINUTES (default 30), with the metrics endpoint on, and prints RSS,
# goroutines, heap and flows every 10 s. Not run in CI.
# Usage: scripts/soak.sh BIN PCAP [MINUTES]
set -euo pipefail
bin=${1:-bin/labwatch}
pcap=${2:-$HOME/.cache/labwatch/bench.pcap}
minutes=${3:-30}
if [ ! -s "$pcap" ]; then
	mkdir -p "$(dirname "$pcap")"
	go run ./testdata/labgen -profile bench -o "$pcap" >/dev/null
fi
addr=127.0.0.1:9759
end=$(( $(date +%s) + minutes * 60 ))
printf '%-8s %-5s %10s %10s %10s %10s %12s\n' time run rss_mb heap_mb goroutines flows packets
run=0
while [ "$(date +%s)" -lt "$end" ]; do
	run=$((run + 1))
	"$bin" replay --progress=never --metrics "$addr" --baseline /tmp/labwatch-soak.lwb "$pcap" >/dev/null 2>&1 &
	pid=$!
	while kill -0 "$pid" 2>/dev/null; do
		sleep 2
		m=$(curl -s "http://$addr/metrics" || true)
		[ -n "$m" ] || continue
		val() { echo "$m" | awk -v k="$1" '$1 ~ "^"k"({|$)" {v=$2} END {print v+0}'; }
		printf '%-8s %-5s %10.0f %10.0f %10.0f %10.0f %12.0f\n' "$(date +%H:%M:%S)" "$run" \
			"$(echo "$(val process_resident_memory_bytes) / 1048576" | bc -l)" \
			"$(echo "$(val go_memstats_heap_inuse_bytes) / 1048576" | bc -l)" \
			"$(val go_goroutines)" "$(val labwatch_capture_flows_active)" "$(val labwatch_capture_packets_total)"
	done
	wait "$pid" || true
done
