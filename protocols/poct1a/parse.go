package poct1a

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strconv"

	"labwatch/protocols/app"
)

// Identity is the device identity a HEL.R01 declares (DEV object).
type Identity struct {
	DeviceID, Vendor, Model, Serial, Manufacturer, Software, Hardware string
}

// Summary is what one POCT1-A message says, without patient values: codes,
// counts, identity and which patient identifier kinds were present.
type Summary struct {
	Type      string // root element: HEL.R01, OBS.R01 …
	ControlID string // HDR.control_id
	Version   string // HDR.version_id
	Device    Identity

	Ack          string // ACK.type_cd (AA, AE …)
	AckControlID string // ACK.ack_control_id
	// Codes holds coded values under their Attrs keys (topic, request,
	// directive, end_reason, condition, role).
	Codes map[string]string

	Services        int // SVC objects
	Patients        int // PT objects
	Observations    int // OBS.observation_id elements
	OperatorIDs     int // OPR.operator_id elements with a value
	Notes           int // NTE objects
	NewObservations int // DST.new_observations_qty
	// Credentials counts operator passwords (OPL.R01); UserHash is the keyed
	// hash of the operator ID the first one belongs to.
	Credentials int
	UserHash    string

	PHI       app.PHISet
	PHIFields []string
}

// Parse decodes one whole POCT1-A message with encoding/xml, bounded by cfg:
// a document type declaration is refused (nothing is ever expanded beyond
// the five predefined entities), nesting, tokens, attributes and size are
// capped. Errors are the sentinels of errors.go, possibly wrapped with a line
// number; they never quote the message.
func Parse(msg []byte, cfg *Config) (Summary, error) {
	c := cfg.normalized()
	var s Summary
	if len(msg) > c.MaxMessageBytes {
		return s, ErrTooLarge
	}
	p := parser{cfg: &c, s: &s, phiDepth: -1}
	err := p.run(msg)
	return s, err
}

// parser walks the tokens of one message.
type parser struct {
	cfg   *Config
	s     *Summary
	depth int
	// The PT element being read whose presence is still undecided.
	phiDepth int
	phiName  string
	phiSeen  bool
	// lastOperator is the operator ID a following password belongs to; it
	// is only hashed, never kept.
	lastOperator string
}

func (p *parser) run(msg []byte) error {
	d := xml.NewDecoder(bytes.NewReader(msg))
	d.Strict = true
	d.CharsetReader = charsetReader
	for tokens := 0; ; tokens++ {
		if tokens >= p.cfg.MaxTokens {
			return ErrTooManyTokens
		}
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			line, _ := d.InputPos()
			return fmt.Errorf("%w at line %d", ErrBadXML, line)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if err := p.start(t); err != nil {
				return err
			}
		case xml.EndElement:
			p.end()
		case xml.CharData:
			if p.phiDepth >= 0 && len(bytes.TrimSpace(t)) > 0 {
				p.phiSeen = true
			}
		case xml.Directive:
			return ErrDTD
		}
	}
	if p.s.Type == "" {
		return ErrNotPOCT
	}
	if p.depth != 0 {
		return fmt.Errorf("%w: unclosed elements", ErrBadXML)
	}
	return nil
}

// start handles a start tag: depth, attribute count and the root's name and
// uniqueness are checked here.
func (p *parser) start(t xml.StartElement) error {
	p.depth++
	if p.depth > p.cfg.MaxDepth {
		return ErrTooDeep
	}
	if len(t.Attr) > p.cfg.MaxAttrs {
		return fmt.Errorf("%w: more than %d attributes", ErrBadXML, p.cfg.MaxAttrs)
	}
	for i := range t.Attr { // encoding/xml lets duplicates through
		for j := range i {
			if t.Attr[i].Name == t.Attr[j].Name {
				return fmt.Errorf("%w: duplicate attribute", ErrBadXML)
			}
		}
	}
	local := t.Name.Local
	if p.depth == 1 {
		if p.s.Type != "" || !isMessageName([]byte(local)) {
			return ErrNotPOCT
		}
		p.s.Type = local
		return nil
	}
	v := attr(t, "V")
	if p.phiDepth >= 0 {
		for _, a := range t.Attr {
			if a.Value != "" {
				p.phiSeen = true
			}
		}
	} else if _, ok := patientFields[local]; ok {
		p.phiDepth, p.phiName = p.depth, local
		p.phiSeen = false
		for _, a := range t.Attr {
			if a.Value != "" {
				p.phiSeen = true
			}
		}
	}
	p.element(local, v)
	return nil
}

// element reads the value of the elements the summary needs.
func (p *parser) element(local, v string) {
	s, max := p.s, p.cfg.MaxValueBytes
	switch local {
	case "HDR.control_id":
		s.ControlID = cleanValue(v, max)
	case "HDR.version_id":
		s.Version = cleanValue(v, max)
	case fieldDeviceID:
		s.Device.DeviceID = cleanValue(v, max)
	case fieldVendor:
		s.Device.Vendor = cleanValue(v, max)
	case fieldModel:
		s.Device.Model = cleanValue(v, max)
	case fieldSerial:
		s.Device.Serial = cleanValue(v, max)
	case fieldManufacturer:
		s.Device.Manufacturer = cleanValue(v, max)
	case fieldSoftware:
		s.Device.Software = cleanValue(v, max)
	case fieldHardware:
		s.Device.Hardware = cleanValue(v, max)
	case "ACK.type_cd":
		s.Ack = cleanValue(v, 2)
	case "ACK.ack_control_id":
		s.AckControlID = cleanValue(v, max)
	case "DST.new_observations_qty":
		if n, err := strconv.Atoi(v); err == nil && n > 0 {
			s.NewObservations = n
		}
	case "SVC":
		s.Services++
	case "PT":
		s.Patients++
	case "NTE":
		s.Notes++
	case "OBS.observation_id":
		s.Observations++
	case "OPR.operator_id":
		if v != "" {
			s.OperatorIDs++
			p.lastOperator = v
		}
	default:
		if key, ok := codeFields[local]; ok {
			if s.Codes == nil {
				s.Codes = map[string]string{}
			}
			if _, dup := s.Codes[key]; !dup {
				s.Codes[key] = cleanValue(v, max)
			}
		} else if v != "" && isPassword(local) {
			s.Credentials++
			if s.UserHash == "" && p.lastOperator != "" {
				s.UserHash = app.KeyedHash(p.lastOperator)
			}
		}
	}
}

// end closes an element; a patient element closes with its verdict.
func (p *parser) end() {
	if p.depth == p.phiDepth {
		if f := patientFields[p.phiName]; p.phiSeen {
			p.s.PHI.Add(f.kind)
			if !containsString(p.s.PHIFields, f.field) {
				p.s.PHIFields = append(p.s.PHIFields, f.field)
			}
		}
		p.phiDepth = -1
	}
	p.depth--
}

func attr(t xml.StartElement, name string) string {
	for _, a := range t.Attr {
		if a.Name.Local == name && a.Name.Space == "" {
			return a.Value
		}
	}
	return ""
}

func containsString(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// cleanValue copies a code or identity value fit for an event: trimmed,
// printable ASCII ('?' for the rest), at most max bytes.
func cleanValue(v string, max int) string {
	b := bytes.TrimSpace([]byte(v))
	if len(b) > max {
		b = b[:max]
	}
	for i, c := range b {
		if c < ' ' || c > '~' {
			b[i] = '?'
		}
	}
	return string(b)
}
