#!/usr/bin/env bash
# Live capture benchmark (issue 8): replays the bench capture with tcpreplay at
# rising rates into a veth pair and reports, for libpcap and AF_PACKET fanout
# with 1 and 2 workers, the highest rate labwatch takes without kernel drops.
# Everything happens in two network namespaces this script creates and deletes;
# the host's interfaces are never touched. Needs root. Not in CI.
#
# Each step starts a fresh labwatch and replays at most the capture once (its
# first rate × STEP_SECONDS packets), so that every packet is new work: looping
# the file would hand the sensor retransmissions it discards cheaply.
#
# Usage: scripts/bench-live.sh BIN PCAP
# Environment: RATES (packets/s steps), STEP_SECONDS (per step), CONFIGS
# (capture:workers pairs), RING_MB (AF_PACKET ring per socket).
set -euo pipefail
bin=${1:-bin/labwatch}
pcap=${2:-$HOME/.cache/labwatch/bench.pcap}
rates=${RATES:-"50000 100000 150000 200000 250000 300000 400000 600000"}
step_seconds=${STEP_SECONDS:-10}
configs=${CONFIGS:-"pcap:1 afpacket:1 pcap:2 afpacket:2"}
ring_mb=${RING_MB:-64}

[ "$(id -u)" = 0 ] || { echo "bench-live needs root (network namespaces, packet sockets)"; exit 1; }
command -v ip >/dev/null || { echo "bench-live needs ip(8): apt-get install iproute2"; exit 1; }
command -v curl >/dev/null || { echo "bench-live needs curl: apt-get install curl"; exit 1; }
if ! command -v tcpreplay >/dev/null; then
	echo "installing tcpreplay"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq tcpreplay >/dev/null
fi
mkdir -p "$(dirname "$pcap")"
if [ ! -s "$pcap" ]; then
	echo "generating $pcap (once; cached)"
	go run ./testdata/labgen -profile bench -o "$pcap" >/dev/null
fi

# Names carry the pid so that two runs never collide; interfaces stay under
# the kernel's 15 characters.
sender=lwbs$$ sensor=lwbr$$ tx=lwbt$$ rx=lwbr$$
metrics=127.0.0.1:9750
tmp=$(mktemp -d)
lw_pid=""
cleanup() {
	[ -n "$lw_pid" ] && kill "$lw_pid" 2>/dev/null && wait "$lw_pid" 2>/dev/null
	ip netns del "$sender" 2>/dev/null
	ip netns del "$sensor" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

in_sensor() { ip netns exec "$sensor" "$@"; }
ip netns add "$sender"
ip netns add "$sensor"
ip link add "$tx" netns "$sender" type veth peer name "$rx" netns "$sensor"
for ns in "$sender" "$sensor"; do
	# No IPv6 on the test link: router solicitations would be counted too.
	ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
	ip -n "$ns" link set lo up
done
# The capture holds frames up to 9000 bytes (segments of offloaded sends).
ip -n "$sender" link set "$tx" mtu 9000 up
ip -n "$sensor" link set "$rx" mtu 9000 up

# metric NAME [LABEL]: a counter from labwatch's /metrics (0 when absent).
metric() {
	in_sensor curl -sf "http://$metrics/metrics" |
		awk -v name="$1" -v label="${2:-}" '$1 ~ "^"name"({|$)" && index($1, label) { v = $2 } END { printf "%d\n", v + 0 }'
}

start_labwatch() { # capture workers
	# Not through in_sensor: $! must be labwatch itself (ip netns exec execs it).
	ip netns exec "$sensor" "$bin" run -i "$rx" --capture "$1" --workers "$2" --ring-size "$ring_mb" \
		--learn 1h --metrics "$metrics" --summary "$tmp/summary-$1-$2.json" --log-level warn \
		2>"$tmp/labwatch-$1-$2.log" &
	lw_pid=$!
	for _ in $(seq 50); do
		in_sensor curl -sf "http://$metrics/healthz" >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	echo "labwatch did not start:"; cat "$tmp/labwatch-$1-$2.log"; exit 1
}

# cpu_seconds PID: user + system CPU the process has used so far.
cpu_seconds() {
	awk -v hz="$(getconf CLK_TCK)" '{ printf "%.2f\n", ($14 + $15) / hz }' "/proc/$1/stat"
}

stop_labwatch() {
	kill -TERM "$lw_pid"; wait "$lw_pid" || true; lw_pid=""
}

if command -v capinfos >/dev/null; then
	total=$(capinfos -cM "$pcap" | awk '/Number of packets/ {print $4}')
else
	total=$(tcpdump -nr "$pcap" 2>/dev/null | wc -l)
fi
echo "capture: $pcap ($total packets); up to ${step_seconds}s per step"
echo "machine: $(nproc) cores, $(uname -m), kernel $(uname -r); tcpreplay $(tcpreplay --version 2>&1 | awk 'NR==1 {print $3}')"
printf '%-9s %7s %10s %10s %10s %10s %9s %9s %11s\n' capture workers asked_pps sent_pps sent_Mbps seen kdrops missed cpu_us/pkt
summary=""
for cfg in $configs; do
	kind=${cfg%%:*} workers=${cfg##*:}
	best="none"
	for rate in $rates; do
		start_labwatch "$kind" "$workers"
		limit=$((rate * step_seconds))
		[ "$limit" -le "$total" ] || limit=$total
		ip netns exec "$sender" tcpreplay -i "$tx" --pps "$rate" --limit "$limit" \
			"$pcap" >"$tmp/tcpreplay.out" 2>&1 || { cat "$tmp/tcpreplay.out"; exit 1; }
		sleep 2 # let labwatch drain its rings
		seen=$(metric labwatch_capture_packets_total)
		drops=$(metric labwatch_capture_kernel_dropped_packets_total 'where="buffer"')
		cpu=$(cpu_seconds "$lw_pid")
		stop_labwatch
		sent=$(awk '/Actual:/ {print $2}' "$tmp/tcpreplay.out")
		read -r pps mbps < <(awk '/Rated:/ {gsub(",", ""); print $6, $4}' "$tmp/tcpreplay.out")
		missed=$((sent - seen - drops))
		printf '%-9s %7s %10s %10.0f %10.1f %10s %9s %9s %11.2f\n' "$kind" "$workers" "$rate" "$pps" "$mbps" "$seen" "$drops" "$missed" \
			"$(awk -v c="$cpu" -v n="$seen" 'BEGIN { print n ? c * 1e6 / n : 0 }')"
		if [ "$drops" -gt 0 ]; then break; fi
		best="$(printf '%.0f packets/s (%.0f Mbit/s; %s asked)' "$pps" "$mbps" "$rate")"
	done
	summary+="$(printf '%-9s workers=%s: highest rate without kernel drops: %s' "$kind" "$workers" "$best")"$'\n'
done
echo
printf '%s' "$summary"
echo "(seen: packets labwatch counted; kdrops: dropped by the kernel because the capture buffer was full;"
echo " cpu_us/pkt: labwatch's user+system CPU for the step (start to stop) per packet seen;"
echo " missed: sent but neither seen nor counted as a capture drop: lost in the veth backlog, or, with"
echo " afpacket, IPv4 fragments the kernel reassembled before the fanout (a datagram counts once))"
