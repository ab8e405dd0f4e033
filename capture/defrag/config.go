package defrag

import "time"

// Config bounds the defragmenter. Zero or negative fields take their defaults.
type Config struct {
	// MaxDatagrams is the most incomplete datagrams held at once; a new one at
	// the cap evicts the oldest (counted in EvictedAtCap).
	MaxDatagrams int `yaml:"max_datagrams"`
	// MaxBytes caps the fragment bytes held, counted as buffer capacity, spare
	// buffers included. At the cap the oldest datagrams are evicted; a datagram
	// that alone would exceed it is dropped. Below 65535 the largest datagrams
	// can never be reassembled.
	MaxBytes int `yaml:"max_bytes"`
	// MaxFragmentsPerDatagram drops a datagram on its next fragment (counted in
	// TooManyFragments). Real senders use at most 45 (64 KiB over a 1500 MTU).
	MaxFragmentsPerDatagram int `yaml:"max_fragments_per_datagram"`
	// Timeout drops a datagram this long (capture time) after its first
	// fragment, as Linux's ipfrag_time does (30 s).
	Timeout time.Duration `yaml:"timeout"`
}

// DefaultConfig returns the documented defaults.
func DefaultConfig() Config {
	return Config{
		MaxDatagrams:            4096,
		MaxBytes:                16 << 20,
		MaxFragmentsPerDatagram: 64,
		Timeout:                 30 * time.Second,
	}
}

// withDefaults replaces unset fields by their defaults.
func (c Config) withDefaults() Config {
	def := DefaultConfig()
	if c.MaxDatagrams <= 0 {
		c.MaxDatagrams = def.MaxDatagrams
	}
	if c.MaxBytes <= 0 {
		c.MaxBytes = def.MaxBytes
	}
	if c.MaxFragmentsPerDatagram <= 0 {
		c.MaxFragmentsPerDatagram = def.MaxFragmentsPerDatagram
	}
	if c.Timeout <= 0 {
		c.Timeout = def.Timeout
	}
	return c
}

// Fixed limits, not worth configuring.
const (
	// maxIPv4Length is the largest IPv4 datagram, header included.
	maxIPv4Length = 65535
	// spareDatagrams is how many finished datagrams are kept for reuse, so a
	// steady trickle of fragments allocates nothing.
	spareDatagrams = 64
	// spareBufferBytes is the largest buffer a spare datagram keeps.
	spareBufferBytes = 8 << 10
	// minBufferBytes is the first buffer given to a datagram: two full-MTU
	// fragments, the common case.
	minBufferBytes = 3 << 10
)
