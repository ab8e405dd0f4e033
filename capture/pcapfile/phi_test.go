package pcapfile

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/gopacket/gopacket/layers"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Fictional patient values planted in captures; none may reach an error or a
// problem, whatever the damage.
var plantedPHI = []string{
	"DOE^JANE^QUINCY", "MRN99887766", "19800229", "ACC5550123",
	"742 EVERGREEN TERRACE", "5550142", "078-05-1120",
}

// hl7WithPHI is an HL7 ADT message carrying every planted value.
var hl7WithPHI = []byte("\x0bMSH|^~\\&|ADT|HOSP|LIS|LAB|20260304140312||ADT^A01|1|P|2.3\r" +
	"PID|1||MRN99887766^^^HOSP^MR||DOE^JANE^QUINCY||19800229|F|||742 EVERGREEN TERRACE^^SPRINGFIELD||5550142|||||ACC5550123|078-05-1120\r\x1c\r")

func TestNoPatientValuesInErrorsOrProblems(t *testing.T) {
	le := binary.LittleEndian
	pkts := []testPacket{{ts: t0, data: hl7WithPHI}, {ts: t0.Add(time.Millisecond), data: hl7WithPHI}}
	good := pcapBytes(le, false, layers.LinkTypeEthernet, 65535, pkts)

	var comments ngBuilder // PHI in section, interface and packet comments
	comments.section().block(blockInterface, append([]byte{1, 0, 0, 0, 0, 0, 0, 0}, option(2, hl7WithPHI[1:60])...))
	comments.enhanced(0, t0, hl7WithPHI, option(1, hl7WithPHI), option(0, nil))

	// A block whose header fields are PHI text: type "PID|", length "DOE^".
	var phiHeader ngBuilder
	phiHeader.section().iface(layers.LinkTypeEthernet, 0).enhanced(0, t0, hl7WithPHI)
	phiHeader.Write([]byte("PID|DOE^JANE^QUINCY|19800229|"))

	// A record header read from inside the packet bytes.
	misaligned := append(append([]byte(nil), good...), pcapRecord(le, false, t0, hl7WithPHI, len(hl7WithPHI))[:16]...)
	misaligned = append(misaligned, hl7WithPHI[20:]...)

	inputs := map[string][]byte{
		"good":                 good,
		"truncated":            good[:len(good)-30],
		"comments":             comments.Bytes(),
		"phi header":           phiHeader.Bytes(),
		"misaligned":           misaligned,
		"plain text":           hl7WithPHI[1:],
		"gzip text":            gzipBytes(t, hl7WithPHI),
		"gzip cut":             gzipBytes(t, good)[:100],
		"phi after gzip magic": append([]byte{0x1f, 0x8b}, hl7WithPHI...),
	}
	var seen strings.Builder
	for name, data := range inputs {
		res, err := readBytes(t, bytes.NewReader(data))
		if err != nil {
			fmt.Fprintf(&seen, "%s: %v %+v\n", name, err, err)
		}
		for _, p := range res.problems {
			fmt.Fprintf(&seen, "%s: %+v %s\n", name, p, p)
		}
		// Fields beside the raw bytes carry no content either.
		for _, p := range res.packets {
			fmt.Fprintf(&seen, "%s: %v %d %v\n", name, p.TS, p.Source, p.Link)
		}
		path := writeTemp(t, "PID.pcap", data)
		if r, err := Open([]string{path}); err != nil {
			fmt.Fprintf(&seen, "%s: %v\n", name, err)
		} else {
			for _, p := range drain(t, r).problems {
				fmt.Fprintf(&seen, "%s: %+v\n", name, p)
			}
			require.NoError(t, r.Close())
		}
	}
	out := seen.String()
	require.NotEmpty(t, out)
	for _, v := range plantedPHI {
		assert.NotContains(t, out, v)
	}
	for _, part := range []string{"DOE", "JANE", "QUINCY", "EVERGREEN"} {
		assert.NotContains(t, out, part)
	}
}
