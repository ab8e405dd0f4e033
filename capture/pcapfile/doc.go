// Package pcapfile reads capture files for `labwatch replay`: pcap and pcapng,
// optionally gzipped, from files or standard input, several merged into one
// stream in capture-time order.
//
// # Formats
//
// The format is recognised by content, never by file name: gzip by its magic
// (1f 8b), then pcap by its four magic numbers (little- or big-endian, micro- or
// nanosecond timestamps) and pcapng by its section header. pcapgo decodes
// records; this package frames them first (framer.go): it hands pcapgo one
// record or block at a time, so it knows each record's offset, and checks every
// length field before pcapgo sizes a buffer from it.
//
// # Damaged input
//
// A file is read up to its first bad record; everything before it is delivered,
// and the file's Problem (file, offset of the bad record in the uncompressed
// stream, reason) is listed by Reader.Problems while the merge goes on with the
// other files. Bad records are: a file cut inside a record or block, a captured
// length above MaxPacketBytes or above the original length, a pcapng block whose
// length is not a multiple of 4, is below its type's minimum, above
// MaxBlockBytes, or differs from its trailing copy, a packet or option that
// overruns its block, more than MaxInterfaces interfaces in a section, a gzip
// stream that is cut or fails its checksum, and any block pcapgo refuses. A file
// that cannot be opened or whose header is not a capture header fails Open with
// an *OpenError naming it. Each Problem has a Code from a fixed set (truncated,
// read_error, over_limit, bad_length, bad_header, rejected) for counting, and a
// Reason that carries kinds, lengths and offsets only, never packet bytes.
//
// A captured length above the file's declared snap length is accepted, as
// Wireshark and tcpdump accept it.
//
// # Limits
//
// All in config.go: MaxFiles per Reader, MaxPacketBytes, MaxBlockBytes,
// MaxOptionBytes, MaxInterfaces; one open file holds about MaxFileMemory.
// pcapng name-resolution, statistics, decryption-secret and custom blocks are
// skipped by the framer, so pcapgo never accumulates them.
//
// # Speed
//
// Next allocates nothing per packet for pcap and for pcapng packets without
// options (pcapgo allocates for epb_flags, hashes and verdicts, and when it
// boxes a link type above 255 for a pcapng packet). Packet bytes go from the
// file's read-ahead buffer into pcapgo's packet buffer (through pcapgo's 4 KiB
// buffer for short packets) and the caller gets that buffer: no copy is made
// for the merge.
package pcapfile
