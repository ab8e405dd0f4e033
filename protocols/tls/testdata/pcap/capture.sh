#!/bin/sh
# Generator of the TLS captures in this folder: openssl s_client talks to
# openssl s_server on 127.0.0.1 while tcpdump records loopback. Nothing leaves
# the machine. Run as root from this folder: sh capture.sh
# Each scenario is: name, server options, client options.
set -eu
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=lis.example.test \
	-keyout "$work/key.pem" -out "$work/cert.pem" 2>/dev/null

port=44330
run() {
	name=$1 sopts=$2 copts=$3
	port=$((port + 1))
	tcpdump -i lo -U -w "$name.pcap" "tcp port $port" 2>/dev/null &
	dump=$!
	sleep 1
	# shellcheck disable=SC2086
	sleep 4 | openssl s_server -accept "$port" -cert "$work/cert.pem" -key "$work/key.pem" -naccept 1 $sopts \
		>/dev/null 2>&1 &
	server=$!
	# the pipe keeps the server's stdin open: at EOF it closes the connection
	sleep 1
	# shellcheck disable=SC2086
	echo "GET / HTTP/1.1" | timeout 5 openssl s_client -connect "127.0.0.1:$port" -ign_eof $copts \
		>/dev/null 2>&1 || true
	sleep 1
	kill "$server" 2>/dev/null || true
	kill "$dump"
	wait "$dump" 2>/dev/null || true
}

run openssl_tls13_sni_alpn "-alpn h2,http/1.1" "-servername lis.example.test -alpn h2,http/1.1"
run openssl_tls12_ecdhe "-tls1_2" "-tls1_2 -cipher ECDHE-RSA-AES128-GCM-SHA256 -servername pacs.example.test"
run openssl_tls10_legacy "-cipher DEFAULT:@SECLEVEL=0" "-tls1 -cipher DEFAULT:@SECLEVEL=0 -servername old-analyzer.example.test"
run openssl_tls10_refused "-tls1_2" "-tls1 -cipher DEFAULT:@SECLEVEL=0"
