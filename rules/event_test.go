package rules

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"labwatch/protocols/app"
)

func TestEventFrom(t *testing.T) {
	tests := []struct {
		name  string
		msg   func() *app.Message
		check func(t *testing.T, ev Event)
	}{
		{"hl7 split and site", func() *app.Message {
			m := msg("hl7", "ORU^R01^ORU_R01", "10.40.1.5:40000", "10.40.2.10:2575")
			m.Sender, m.Receiver, m.Ack = "COBAS^CHEMLAB", "LIS^HOSP", ""
			m.PHI.Add(app.PHIName)
			m.PHI.Add(app.PHIPatientID)
			return m
		}, func(t *testing.T, ev Event) {
			assert.Equal(t, HL7Info{Type: "ORU", Event: "R01", SendingApp: "COBAS", SendingFacility: "CHEMLAB", ReceivingApp: "LIS"}, ev.HL7)
			assert.Equal(t, "10.40.1.5", ev.SrcIP)
			assert.Equal(t, 2575, ev.DstPort)
			assert.Equal(t, "tcp", ev.Transport)
			assert.Equal(t, "analyzer", ev.SrcRole)
			assert.Equal(t, "lis-1", ev.DstName)
			assert.True(t, ev.SrcTrusted)
			assert.True(t, ev.DstTrusted)
			assert.Equal(t, []string{"patient_id", "name"}, ev.PHI)
		}},
		{"hl7 bare ack, server to client", func() *app.Message {
			m := msg("hl7", "ACK", "10.40.1.5:40000", "10.40.2.10:2575")
			m.Dir, m.Ack = app.ServerToClient, "AE"
			return m
		}, func(t *testing.T, ev Event) {
			assert.Equal(t, HL7Info{Type: "ACK", Ack: "AE"}, ev.HL7)
			assert.Equal(t, "10.40.2.10", ev.SrcIP)
			assert.Equal(t, 40000, ev.DstPort)
		}},
		{"astm analyzer falls back to sender", func() *app.Message {
			m := msg("astm", "result", "10.40.1.5:40000", "10.40.2.10:5000")
			m.Sender = "ARCHITECT"
			return m
		}, func(t *testing.T, ev Event) {
			assert.Equal(t, ASTMInfo{Analyzer: "ARCHITECT", Kind: "result"}, ev.ASTM)
		}},
		{"dicom attrs", func() *app.Message {
			m := msg("dicom", "A-ASSOCIATE-RQ", "10.40.3.20:50000", "10.40.9.9:104")
			m.Attrs = map[string]string{"calling_ae": "MODALITY", "called_ae": "ARCHIVE", "user_hash": "ab12"}
			return m
		}, func(t *testing.T, ev Event) {
			assert.Equal(t, DICOMInfo{CallingAE: "MODALITY", CalledAE: "ARCHIVE"}, ev.DICOM)
			assert.True(t, ev.Credentials)
			assert.Empty(t, ev.DstName)
		}},
		{"tls is encrypted", func() *app.Message {
			m := msg("tls", "client_hello", "10.40.4.7:50000", "203.0.113.9:443")
			m.Attrs = map[string]string{"version": "tls1.1", "sni": "cloud.example"}
			return m
		}, func(t *testing.T, ev Event) {
			assert.Equal(t, TLSInfo{Version: "tls1.1", SNI: "cloud.example"}, ev.TLS)
			assert.True(t, ev.Encrypted)
			assert.False(t, ev.DstTrusted)
			assert.Equal(t, "poct", ev.SrcRole)
		}},
		{"poct device", func() *app.Message {
			m := msg("poct1a", "OBS.R01", "10.40.4.7:50000", "10.40.2.10:7000")
			m.Device = "ACCU-CHEK"
			return m
		}, func(t *testing.T, ev Event) {
			assert.Equal(t, "ACCU-CHEK", ev.POCT.Device)
		}},
		{"no flow", func() *app.Message {
			return &app.Message{App: "zpl", Type: "label", TS: t0}
		}, func(t *testing.T, ev Event) {
			assert.Empty(t, ev.SrcIP)
			assert.Zero(t, ev.SrcPort)
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.check(t, EventFrom(tc.msg(), site()))
		})
	}
}

func TestEventFromWithoutSite(t *testing.T) {
	ev := EventFrom(msg("hl7", "ORU^R01", "10.40.1.5:1", "10.40.2.10:2575"), nil)
	assert.False(t, ev.DstTrusted)
	assert.Empty(t, ev.SrcRole)
}
