# labwatch — see README.md. The two commands a newcomer needs: `make demo`, `make test`.
GO        ?= go
BIN       := bin/labwatch
PKGS      := ./... ./testdata/gen/... ./testdata/labgen/... ./testdata/scenario/...
FUZZTIME  ?= 30s
BENCH_PCAP ?= $(HOME)/.cache/labwatch/bench.pcap
STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2
# Debian packages the build and the tests use: libpcap for live capture, tshark and
# tcpdump for the cross-checks and the benchmark table.
DEB_PKGS  := libpcap-dev tshark tcpdump time rsyslog rsyslog-gnutls iproute2 chromium e2fsprogs
SUDO      := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: all build test demo lint bench bench-live bench-memory fuzz soak deps clean

all: build

# deps installs the Debian packages that are missing (root, or sudo).
deps:
	@missing=""; for p in $(DEB_PKGS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi

build: deps
	$(GO) build -o $(BIN) ./cmd/labwatch

# demo replays the bundled capture and prints its summary.
demo: build
	./$(BIN) replay --progress=never --alerts=- --summary=- testdata/pcap/demo.pcapng

# test runs every test, then every fuzz target briefly (FUZZ_BRIEF: 500 inputs each,
# a count rather than a time so a slow machine cannot time out the first pass) on top
# of its seed corpus, which the plain run has already replayed.
FUZZ_BRIEF ?= 500x
test: deps
	$(GO) test -count=1 -timeout 20m $(PKGS)
	@$(MAKE) --no-print-directory fuzz FUZZTIME=$(FUZZ_BRIEF)

lint:
	@bad=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$bad" ]; then echo "gofmt:"; echo "$$bad"; exit 1; fi
	$(GO) vet $(PKGS)
	$(GO) run $(STATICCHECK) $(PKGS)

# bench runs the Go benchmarks, then replays a large generated capture (cached in
# $(BENCH_PCAP)) next to tcpdump and tshark on the same file.
bench: build
	$(GO) test -run '^$$' -bench . -benchmem -benchtime 2s ./capture/... ./protocols/... ./rules/... ./detect/...
	$(GO) test -run '^$$' -bench Pipeline -benchmem -benchtime 3x ./sensor/
	scripts/bench.sh $(BIN) $(BENCH_PCAP)

# bench-memory replays a 10-million-packet capture with 10,000 flows open at once
# (generated once, cached in ~/.cache/labwatch/flat-10m.pcap, ~4.5 GB) under stated
# caps and prints RSS and heap every ~5 % of the run, the peak and a flat/not verdict
# (not in CI). Workers: make bench-memory FLATMEM_WORKERS="1 2".
bench-memory: build
	scripts/flatmem.sh $(BIN) $(HOME)/.cache/labwatch/flat-10m.pcap $(FLATMEM_WORKERS)

# bench-live replays the bench capture with tcpreplay at rising rates into a
# veth pair in network namespaces it creates, captured by `labwatch run` with
# libpcap and AF_PACKET fanout, 1 and 2 workers, and prints the highest rate
# without kernel drops (root; not in CI).
bench-live: build
	scripts/bench-live.sh $(BIN) $(BENCH_PCAP)

# soak replays the bench capture in a loop for SOAK_MINUTES and prints RSS,
# heap, goroutines and flows every 2 s (not in CI).
SOAK_MINUTES ?= 30
soak: build
	scripts/soak.sh $(BIN) $(BENCH_PCAP) $(SOAK_MINUTES)

# fuzz runs every fuzz target for FUZZTIME each.
fuzz:
	@for pkg in $$($(GO) list $(PKGS)); do \
		for t in $$($(GO) test -list '^Fuzz' $$pkg 2>/dev/null | grep '^Fuzz'); do \
			echo "== fuzz $$pkg $$t ($(FUZZTIME))"; \
			$(GO) test -run '^$$' -fuzz "^$$t$$" -fuzztime $(FUZZTIME) $$pkg >/tmp/labwatch-fuzz.log 2>&1 || { cat /tmp/labwatch-fuzz.log; exit 1; }; \
		done; \
	done

clean:
	rm -rf bin
