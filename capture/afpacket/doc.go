// Package afpacket captures packets from a Linux interface through AF_PACKET
// TPACKET_V3 rings, spread over several sockets by the kernel (fanout), so that
// each socket feeds one worker without a hand-off between goroutines.
//
// The sockets of a Group join one fanout group of type PACKET_FANOUT_HASH with
// PACKET_FANOUT_FLAG_DEFRAG: the kernel reassembles IPv4 fragments before it
// hashes, and its flow hash is symmetric, so both directions of a connection and
// all fragments of a datagram land on the same socket.
//
// Each socket owns a memory-mapped ring of NumBlocks blocks of BlockSize bytes
// (64 MiB by default) shared with the kernel. Next hands out packet bytes straight
// from the ring (no copy, no allocation for untagged frames); they stay valid
// until the next call on that socket. When the ring is full the kernel drops and
// counts (Drops: "kernel"); the interface's own rx_dropped counter since Open is
// the "iface" figure.
//
// The capture filter is compiled by libpcap (the same tcpdump syntax as package
// live) and attached to every socket; it also enforces the snap length. 802.1Q
// tags stripped by the NIC are not put back into the frame (that would copy every
// tagged packet); a filter on "vlan" therefore does not match here.
//
// Only Linux has AF_PACKET: elsewhere Open returns ErrUnsupported and callers fall
// back to libpcap.
package afpacket
