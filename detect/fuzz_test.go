package detect_test

import (
	"bytes"
	"encoding/binary"
	"net/netip"
	"os"
	"path/filepath"
	"testing"
	"time"

	"labwatch/detect"
	"labwatch/protocols/app"
)

// FuzzDecodeBaseline feeds arbitrary files to the baseline loader: it must
// refuse or accept them, never panic. Seeds: a saved baseline and pieces of it.
func FuzzDecodeBaseline(f *testing.F) {
	good := savedBaseline(f)
	f.Add(good)
	f.Add(good[:len(good)/2])
	f.Add([]byte{0x1f, 0x8b})
	f.Fuzz(func(t *testing.T, data []byte) {
		bf, err := detect.DecodeBaseline(bytes.NewReader(data))
		if err == nil {
			var out bytes.Buffer
			_ = bf.WriteText(&out)
		}
	})
}

// FuzzBaselineBody wraps arbitrary JSON in a valid envelope (format, version,
// checksum, gzip), so that fuzzing reaches the checks of the body itself.
func FuzzBaselineBody(f *testing.F) {
	f.Add([]byte(`{"devices":[{"ip":"10.0.0.1","peers":[{"addr":"10.0.0.2","port":2575,"transport":"tcp","outbound":true,"flows":3}],"profile":[{"day_type":"weekday","hour":9,"n":3,"active":3,"sum":[1,2,3,4,5,6],"sum_sq":[1,2,3,4,5,6],"min":[0,0,0,0,0,0],"max":[1,1,1,1,1,1]}]}],"cleartext_phi_paths":[{"client":"10.0.0.1","server":"10.0.0.2","port":2575,"app":"hl7","phi_kinds":["name"]}]}`))
	f.Add([]byte(`{"devices":[{"ip":"10.0.0.1","profile":[{"day_type":"weekend","hour":25}]}]}`))
	f.Add([]byte(`{"observed":"-5h"}`))
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, body []byte) {
		data := detect.WrapBaselineForTest(body)
		if _, err := detect.DecodeBaseline(bytes.NewReader(data)); err != nil {
			return
		}
		// What decodes must also load and drive an engine.
		p := filepath.Join(dir, "b.lwb")
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		e := detect.NewEngine(detect.DefaultConfig(), nil)
		if err := e.LoadBaseline(p); err != nil {
			return
		}
		fl := &app.Flow{Transport: app.TCP, Client: netip.MustParseAddrPort("10.0.0.1:50000"),
			Server: netip.MustParseAddrPort("10.0.0.2:2575"), Start: time.Unix(1e9, 0)}
		e.FlowStart(fl)
		e.Tick(fl.Start.Add(2 * time.Hour))
		e.Close()
	})
}

// FuzzEngineEvents drives the engine with arbitrary event sequences: small
// address and port pools (so that peers and devices repeat), clocks that jump
// forward and back, zero times, missing flows. It must never panic.
func FuzzEngineEvents(f *testing.F) {
	f.Add([]byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15})
	f.Add(bytes.Repeat([]byte{2, 1, 0, 200, 7, 3, 1, 1}, 64))
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg := detect.DefaultConfig()
		cfg.Learn = time.Hour
		cfg.MaxDevices, cfg.MaxPeersPerDevice, cfg.MaxScanSources, cfg.MaxDedup = 8, 4, 4, 8
		e := detect.NewEngine(cfg, func(*detect.Alert) {})
		now := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
		addrs := []string{"10.0.0.1", "10.0.0.2", "192.168.1.9", "8.8.8.8", "224.0.0.1", "0.0.0.0", "fd00::1", "::ffff:10.0.0.1"}
		for len(data) >= 8 {
			op, a, b, port, step := data[0]%6, data[1], data[2], binary.BigEndian.Uint16(data[3:5]), data[5]
			now = now.Add(time.Duration(int8(step)) * time.Minute)
			fl := &app.Flow{ID: uint64(data[6]), Transport: app.Transport(6 + 11*(data[7]&1)), Start: now,
				Client: netip.AddrPortFrom(netip.MustParseAddr(addrs[a%8]), 50000),
				Server: netip.AddrPortFrom(netip.MustParseAddr(addrs[b%8]), port), Encrypted: data[7]&2 != 0}
			switch op {
			case 0:
				e.FlowStart(fl)
			case 1:
				e.FlowEnd(&detect.FlowRecord{Flow: fl, Last: now, Packets: [2]uint64{uint64(a), uint64(b)}, Bytes: [2]uint64{uint64(port), 1 << 40}})
			case 2:
				// Apps and attributes that the software and insecure-protocol
				// detectors read, with values from the input.
				apps := []string{"hl7", "astm", "telnet", "ftp", "snmp", "tls", "http", "dicom", "dhcp", "poct1a"}
				e.Message(&app.Message{App: apps[int(data[6])%len(apps)], Type: string(data[1:5]), Flow: fl, Dir: app.Direction(a & 1), TS: now,
					Sender: string(data[2:6]), Software: string(data[3 : 4+a%4]), Device: string(data[5:6]), Ack: []string{"AA", "AE", "AR"}[b%3],
					PHI: app.PHISet(b), PHIFields: []string{string(data[4:7])}, Counts: map[string]int{"naks": int(port), "credentials": int(a & 1)},
					Attrs: map[string]string{"version": []string{"v1", "v2c", "tls1.0", "tls1.3", string(data[1:3])}[b%5],
						"insecure": []string{"ssl3", "tls1.1", "", string(data[2:4])}[a%4], "cipher": "TLS_" + string(data[3:5]),
						"implementation_uid": string(data[1:6]), "hw_version": string(data[2:3])}})
			case 3:
				e.Anomaly(&app.Anomaly{App: "astm", Reason: string(data[1:4]), Flow: fl, Dir: app.Direction(a & 1), TS: now, GaveUp: b&1 == 1})
			case 4:
				e.Tick(now)
			case 5:
				e.FlowEnd(&detect.FlowRecord{Last: now})
			}
			data = data[8:]
		}
		e.Close()
		_ = e.Snapshot()
	})
}
