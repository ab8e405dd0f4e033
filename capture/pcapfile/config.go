package pcapfile

// Caps on what one capture file can make the reader hold. Every length field read
// from a file is checked against them before a buffer is sized from it, so a
// hostile or damaged file costs a bounded amount of memory.
const (
	// MaxFiles is the most files one Reader merges. Each open file holds its
	// read-ahead buffers and one packet buffer (see MaxFileMemory).
	MaxFiles = 1024

	// MaxPacketBytes is the longest captured packet accepted: libpcap's
	// MAXIMUM_SNAPLEN, as Wireshark and tcpdump use. A longer record is taken as
	// corruption and ends that file with a Problem.
	MaxPacketBytes = 256 << 10

	// MaxOptionBytes bounds the options area of one pcapng block (section and
	// interface comments, packet flags). It must fit in readBufferSize, because
	// the whole area is checked in place before it is handed to pcapgo.
	MaxOptionBytes = 64 << 10

	// MaxBlockBytes bounds one pcapng block: a largest packet, its header and
	// its options.
	MaxBlockBytes = MaxPacketBytes + MaxOptionBytes + 64

	// MaxInterfaces bounds the interface descriptions in one pcapng section;
	// pcapgo keeps each of them until the section ends.
	MaxInterfaces = 256

	// readBufferSize is the read-ahead buffer under each file's framer (and,
	// for gzip input, another one under the decompressor).
	readBufferSize = 128 << 10

	// MaxFileMemory is the most one open file holds, roughly: two read-ahead
	// buffers, pcapgo's packet and option buffers and its own 4 KiB buffer.
	MaxFileMemory = 2*readBufferSize + MaxPacketBytes + MaxOptionBytes + 4<<10
)
