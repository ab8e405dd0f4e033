// Package gen writes deterministic synthetic captures of a hospital laboratory
// network, with the ground truth of what they hold, for labwatch's tests, its
// bundled demo capture and its benchmarks.
//
// # Use
//
//	data, truth, err := gen.Capture(gen.Demo())        // small, in memory
//	truth, err := gen.Generate(gen.Bench(), file)      // streamed, millions of packets
//
// The same Options always give a byte-identical pcap or pcapng file: one
// math/rand/v2 PCG source seeded from Options.Seed drives every choice, in a
// fixed order. Generation streams to the writer; memory grows with the number of
// concurrent flows and the per-connection truth, never with the packet count.
//
// # The lab
//
// 10.40.0.0/16 behind one router: a LIS (10.40.1.10), an interface engine
// (10.40.1.20), a DNS server (10.40.0.53), analyzers from 10.40.2.11 (real model
// names, made-up serials; half speak HL7, half ASTM), two Zebra label printers
// (10.40.3.21-22), three phlebotomy workstations (10.40.4.31-33), and one
// reference lab outside the trusted networks, 198.51.100.23. Every host has a
// locally administered MAC (02:4c:57:00:<subnet>:<host>), the TTL, window and
// ephemeral port range of its OS, and an fd00:40::/64 address for IPv6 flows.
//
// # Traffic
//
//   - HL7 v2.3-2.5.1 over MLLP on 2575 and 6661: analyzer results (ORU^R01), HIS
//     admissions and orders (ADT^A01, ORM^O01), LIS results to the EHR (ORU^R01,
//     some with a base64 PDF report), LIS orders to analyzers (OML^O21) and
//     send-outs to the reference lab (ORM^O01). Every message is acknowledged
//     (MSA AA, one in 23 AE with an ERR segment); now and then two messages go in
//     one write, so one segment holds both.
//   - ASTM E1381/E1394 on 5000: ENQ, one record per frame (frame numbers 1-7, 0,
//     ...), mod-256 checksums, long records continued in ETB frames, each frame
//     acknowledged (one in 97 after a NAK and a repeat), EOT. Analyzers send
//     results, host queries and status; the LIS sends orders, unsolicited or in
//     answer to a query.
//   - ZPL II on 9100: jobs of one to three specimen labels (name, DOB, MRN
//     barcode, accession).
//   - TLS 1.3 on 443 and 6443: ClientHello (SNI, ALPN, supported_versions, key
//     share), ServerHello, then opaque records.
//   - DNS on UDP 53: A queries and answers, some NXDOMAIN.
//
// TCP connections have full handshakes with MSS/SACK/window-scale options,
// MSS-sized segments, ACKs every second segment or delayed 40 ms, FIN teardown
// and one in sixteen closed by RST. Inter-packet times are LAN round trips
// (0.15-0.7 ms; 18-32 ms to the outside host), processing delays (ms) and think
// times between exchanges (Options.ThinkTime).
//
// # Impairments
//
// Retransmits, Reorders, Losses and Fragments are events spread evenly over the
// application writes of at least 64 bytes, at most one per write. A loss is a
// capture loss: the endpoints go on as if the segment arrived, so the sensor sees
// a gap and ACKs for unseen data. Fragments split one IPv4 TCP segment at a
// 576-byte path MTU, every other datagram with its last fragment first. VLAN,
// QinQ (802.1ad 100 + 802.1Q 40) and IPv6Flows pick whole TCP flows (tags on
// Ethernet links only). When TargetPackets repeats the mix, these counts apply to
// each round.
//
// # Truth
//
// Truth counts packets, bytes, flows, devices and application messages with the
// summary keys of DESIGN.md. A message whose bytes a loss cut counts in Damaged,
// not Messages. Streams describes each TCP connection per direction: bytes
// sent, delivered and lost, where the losses are, and with Options.KeepPayload
// the bytes themselves. Planted lists every fictional patient value written
// (names such as TESTPATIENT^ALPHA, MRN-7734001, birth dates, addresses,
// phones, SSNs, next of kin, accessions), in each form it was written, for
// PHI-hygiene tests; Summary leaves them out.
package gen
