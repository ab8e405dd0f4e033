package capture

import (
	"time"

	"labwatch/capture/defrag"
)

// Config holds the capture layer's limits. Zero values are replaced by defaults.
type Config struct {
	Flows      FlowConfig       `yaml:"flows"`
	Reassembly ReassemblyConfig `yaml:"reassembly"`
	Defrag     defrag.Config    `yaml:"defrag"`
	Evidence   EvidenceConfig   `yaml:"evidence"`
}

// FlowConfig bounds the flow table.
type FlowConfig struct {
	// Max is the most flows tracked at once; beyond it the least recently seen
	// flow is ended and counted as evicted.
	Max int `yaml:"max"`
	// TCPIdle ends a TCP flow that saw no packet for this long (capture time).
	// Lab interface connections are long-lived and quiet, so this is generous.
	TCPIdle time.Duration `yaml:"tcp_idle"`
	// TCPClosed ends a TCP flow this long after FIN or RST closed both directions.
	TCPClosed time.Duration `yaml:"tcp_closed"`
	// TCPNewIdle ends a TCP flow that never carried payload (a SYN, a half-open
	// connection, a port probe). Such flows are also the first evicted when the
	// table is full, so a flood cannot push out established conversations.
	TCPNewIdle time.Duration `yaml:"tcp_new_idle"`
	// UDPIdle ends a UDP conversation.
	UDPIdle time.Duration `yaml:"udp_idle"`

	// Emergency mode, as in Suricata: when the table holds EmergencyEnter of
	// Max flows (a flood of short or bogus connections), the shorter Emergency*
	// timeouts apply and flows without payload are kept out of TCP reassembly,
	// until the table falls below EmergencyLeave of Max. Both are counted.
	EmergencyEnter      float64       `yaml:"emergency_enter"`
	EmergencyLeave      float64       `yaml:"emergency_leave"`
	EmergencyTCPIdle    time.Duration `yaml:"emergency_tcp_idle"`
	EmergencyTCPNewIdle time.Duration `yaml:"emergency_tcp_new_idle"`
	EmergencyTCPClosed  time.Duration `yaml:"emergency_tcp_closed"`
	EmergencyUDPIdle    time.Duration `yaml:"emergency_udp_idle"`
}

// ReassemblyConfig bounds TCP reassembly.
type ReassemblyConfig struct {
	// MaxPagesPerConn caps out-of-order data buffered per connection (pages of
	// about 1900 bytes); at the cap the missing bytes are skipped as a gap.
	MaxPagesPerConn int `yaml:"max_pages_per_conn"`
	// MaxPagesTotal caps out-of-order data buffered for all connections.
	MaxPagesTotal int `yaml:"max_pages_total"`
	// GapWait is how long (capture time) a stream waits for a missing segment
	// before the hole is declared lost and the stream resumes after it.
	GapWait time.Duration `yaml:"gap_wait"`
}

// DefaultConfig returns the documented defaults.
func DefaultConfig() Config {
	return Config{
		Flows: FlowConfig{
			Max:        100000,
			TCPIdle:    10 * time.Minute,
			TCPClosed:  30 * time.Second,
			TCPNewIdle: 30 * time.Second,
			UDPIdle:    time.Minute,

			EmergencyEnter:      0.9,
			EmergencyLeave:      0.7,
			EmergencyTCPIdle:    30 * time.Second,
			EmergencyTCPNewIdle: 5 * time.Second,
			EmergencyTCPClosed:  2 * time.Second,
			EmergencyUDPIdle:    5 * time.Second,
		},
		Reassembly: ReassemblyConfig{
			MaxPagesPerConn: 256,   // ~0.5 MB per connection
			MaxPagesTotal:   65536, // ~125 MB in all
			GapWait:         2 * time.Second,
		},
		Defrag:   defrag.DefaultConfig(),
		Evidence: DefaultEvidenceConfig(),
	}
}

// Divide returns the config for one of n workers: table and buffer caps are split
// so that n workers together stay within the configured totals.
func (c Config) Divide(n int) Config {
	if n <= 1 {
		return c
	}
	part := func(v int) int { return max(v/n, 1) }
	c.Flows.Max = part(c.Flows.Max)
	c.Reassembly.MaxPagesTotal = max(part(c.Reassembly.MaxPagesTotal), c.Reassembly.MaxPagesPerConn)
	c.Defrag.MaxDatagrams = part(c.Defrag.MaxDatagrams)
	c.Defrag.MaxBytes = part(c.Defrag.MaxBytes)
	return c
}
