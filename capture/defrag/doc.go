// Package defrag reassembles fragmented IPv4 datagrams within fixed memory.
//
// gopacket's ip4defrag has no total memory cap; a sensor on a hospital network
// must survive fragment floods, so this one bounds everything and counts every
// datagram it gives up on.
//
// # Reassembly
//
// Fragments are grouped by (source, destination, identification, protocol),
// RFC 791's key. They may arrive in any order. Bytes already held win over
// later copies of the same range, as in most operating systems; a later copy
// that repeats them identically counts as a Duplicate, one that contradicts
// them (the overlap trick used to slip payloads past inspection) as an Overlap.
// When every byte up to the last fragment's end is held, Add returns the
// transport payload.
//
// # Dropped datagrams
//
// Each dropped datagram is counted under one reason (see Stats):
//   - TimedOut: incomplete Timeout (capture time) after its first fragment.
//   - EvictedAtCap: the oldest datagram, dropped for a new one at MaxDatagrams,
//     or for bytes at MaxBytes; also a datagram that alone exceeds MaxBytes.
//   - TooManyFragments: more than MaxFragmentsPerDatagram fragments.
//   - Oversize: a fragment reaching past 65535 bytes with the header (ping of death).
//   - Truncated: a fragment shorter than its IP length says, cut by the snap length.
//   - Invalid: a non-last fragment that is empty or not a multiple of 8 bytes,
//     last fragments that disagree on the end, bytes past the end, non-IPv4
//     addresses.
//
// A datagram dropped for one of the last five reasons stays in the table,
// without its bytes, until its timeout, so its remaining fragments are
// swallowed instead of starting a new datagram that would be counted again.
//
// # Limits and memory
//
// Fragment bytes are stored in arrival order, so memory follows the bytes
// received, not the offsets claimed. HeldBytes counts buffer capacity (live
// and spare) and never exceeds MaxBytes; beyond it, memory is one 64 KiB
// output buffer, the map of at most MaxDatagrams entries and up to
// spareDatagrams recycled datagram structures.
//
// # Speed
//
// Keys are arrays (no allocation on lookup), finished datagrams are recycled
// with their buffers (up to spareBufferBytes each), and reassembled payloads are
// written into one reused buffer: in steady state Add allocates nothing.
// Fragmented traffic is rare on lab networks, so clarity wins over cleverness
// in the piece bookkeeping (a sorted slice of at most 2 pieces per fragment).
package defrag
