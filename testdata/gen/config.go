package gen

import "time"

// Limits that keep a mistyped option from generating forever or exhausting
// memory; Options.Validate rejects values beyond them.
const (
	maxAnalyzers       = 2000 // 10.40.2.0/24, then 10.40.16.0/24 to 10.40.24.0/24
	maxConcurrentFlows = 200_000
	maxCountPerKind    = 10_000_000
	maxMsgsPerConn     = 100_000
	maxTargetPackets   = 1_000_000_000
)

// Defaults for options left zero.
var defaultStart = time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC) // a Monday morning

const (
	defaultMsgsPerConn     = 5
	defaultConcurrentFlows = 8
	defaultAnalyzers       = 8
	defaultFlowGap         = 250 * time.Millisecond
	defaultThinkTime       = 1500 * time.Millisecond
)

// Service ports of the lab.
const (
	portHL7    = 2575 // HL7 over MLLP, the registered port
	portHL7Alt = 6661 // HL7 on an interface engine's own port: found by content, not port
	portASTM   = 5000
	portZPL    = 9100
	portHTTPS  = 443
	portHL7TLS = 6443 // HL7 over TLS
	portDNS    = 53
)
