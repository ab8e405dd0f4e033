// Package capture turns packets into what the protocol layer consumes: it decodes
// link, network and transport layers, reassembles IPv4 fragments, keeps the flow
// table, and reassembles TCP byte streams, delivering them in order to one
// app.Analyzer per connection through four calls (data, gap, end, expire).
//
// Everything runs on capture time: timeouts, flushes and expiry advance with packet
// timestamps, so a replay behaves like the live run that recorded it.
//
// The hot path does not allocate per packet: layers are decoded into preallocated
// structs by a gopacket DecodingLayerParser, flows live in a map with an intrusive
// LRU list (no per-packet map churn), and in-order TCP payload is handed to the
// analyzer straight from the packet buffer (gopacket's reassembly copies only
// out-of-order segments, into reused pages).
//
// Every table has a cap in Config and a counter when the cap is hit:
//   - flows: Config.Flows.Max; the least recently seen flow is evicted (flows_evicted).
//   - TCP reassembly: pages buffered per connection and in total; at the cap the
//     oldest missing bytes are skipped and reported to the analyzer as a gap.
//   - IPv4 fragments: see package defrag.
//
// A panic inside one flow's analyzer is recovered at the flow boundary, counted
// (analyzer_panics) and that flow's analyzer is dropped; the sensor keeps going.
package capture
