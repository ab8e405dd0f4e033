package poct1a

import (
	"testing"
	"time"
)

// conversation is an exchange between a device (the client) and a data
// manager, written from the POCT1-A2 message flow: introduction (HEL, DST),
// observations on request (REQ, OBS, EOT), operator list and directive from
// the manager (OPL, DTV), termination (END). Every device message is
// acknowledged with ACK.R01.
type conversation struct {
	name, note string
	chunks     []chunk
}

func conversations(t testing.TB) []conversation {
	ms := func(n int) time.Duration { return time.Duration(n) * time.Millisecond }
	full := conversation{name: "device_session", note: "glucose meter session: HEL, DST, REQ, OBS.R01 with 2 patients, OBS.R02 QC, EOT, OPL with passwords, DTV, vendor DTV, END"}
	step := 0
	add := func(dir bool, file string) {
		d := c2s
		if !dir {
			d = s2c
		}
		step += 40
		full.chunks = append(full.chunks, chunk{d, sample(t, file), ms(step)})
	}
	const device, manager = true, false
	add(device, "hel_r01.xml")
	add(manager, "ack_r01_hel.xml")
	add(device, "dst_r01.xml")
	add(manager, "ack_r01_dst.xml")
	add(manager, "req_r01.xml")
	add(device, "obs_r01.xml")
	add(manager, "ack_r01_obs.xml")
	add(device, "obs_r02_qc.xml")
	add(device, "eot_r01.xml")
	add(manager, "opl_r01.xml")
	add(device, "ack_r01_opl.xml")
	add(manager, "dtv_r01.xml")
	add(manager, "vendor_dtv.xml")
	add(manager, "end_r01.xml")

	// The same device messages written back to back in one segment, with
	// NUL and CR LF between them, as some devices do.
	var burst []byte
	for _, f := range []string{"hel_r01.xml", "dst_r01.xml", "obs_r01.xml", "eot_r01.xml"} {
		burst = append(burst, sample(t, f)...)
		burst = append(burst, 0, '\r', '\n')
	}
	backToBack := conversation{name: "back_to_back", note: "four device messages in one write, NUL CR LF between them",
		chunks: []chunk{{c2s, burst, 0}}}

	// Capture joined mid-message, then a gap inside OBS.R01.
	obs := sample(t, "obs_r01.xml")
	midstream := conversation{name: "midstream", note: "capture starts inside DST.R01, then OBS.R01 arrives whole",
		chunks: []chunk{{c2s, sample(t, "dst_r01.xml")[120:], 0}, {c2s, obs, ms(10)}, {s2c, sample(t, "ack_r01_obs.xml"), ms(20)}}}

	hostile := conversation{name: "hostile", note: "DOCTYPE with entity expansion, deep nesting, non-POCT XML, garbage: refused, then gave_up",
		chunks: []chunk{
			{c2s, []byte(billionLaughs), 0},
			{c2s, deepNest(100), 0},
			{c2s, []byte(`<?xml version="1.0"?><html><body>not poct</body></html>`), 0},
			{c2s, []byte(`<OBS.R01><HDR><HDR.control_id V="1"/></HDR><PT><PT.patient_id V="PLANTMRN0042"></OBS.R01>`), 0},
			{c2s, []byte("\x02garbage\x03 GET / HTTP/1.1\r\n"), 0},
			{c2s, []byte(`<ACK.R01 a="1" a="2"/>`), 0},
			{c2s, []byte(`<EOT.R01><HDR.control_id V="&xxe;"/></EOT.R01>`), 0},
			{c2s, []byte(`<EOT.R01><</EOT.R01>`), 0},
			{c2s, []byte(`<EOT.R01><HDR.control_id V="1"/></EOT.R01><EOT.R01></EOT.R02>`), 0},
		}}
	for range 8 {
		hostile.chunks = append(hostile.chunks, chunk{c2s, []byte(`<EOT.R01><PT.name V="Fictional"></EOT.R01>`), 0})
	}
	return []conversation{full, backToBack, midstream, hostile}
}

// billionLaughs is the classic entity-expansion bomb; it must be refused
// without expanding anything.
const billionLaughs = `<?xml version="1.0"?>
<!DOCTYPE OBS.R01 [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<OBS.R01><HDR><HDR.control_id V="&lol3;"/></HDR></OBS.R01>`

// deepNest is a POCT root with n nested elements.
func deepNest(n int) []byte {
	b := []byte("<OBS.R01>")
	for i := 0; i < n; i++ {
		b = append(b, "<SVC>"...)
	}
	for i := 0; i < n; i++ {
		b = append(b, "</SVC>"...)
	}
	return append(b, "</OBS.R01>"...)
}
