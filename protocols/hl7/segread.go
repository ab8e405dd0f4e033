package hl7

// Readers for the few fields each segment contributes to the summary. They
// work on sub-slices of the segment and keep raw values in p.vals until
// finish copies them.

// msh reads the header. MSH-1 is the field separator itself, so the field
// after "MSH|" is MSH-2 and p.f[i] holds MSH-i.
func (p *parser) msh(seg []byte) {
	n := splitFields(seg[4:], p.sep.Field, p.f[:19], 2)
	hd := func(i int) []byte { return p.hd(p.field(i, n)) }
	p.vals[vSendApp] = hd(3)
	p.vals[vSendFac] = hd(4)
	p.vals[vRecvApp] = hd(5)
	p.vals[vRecvFac] = hd(6)
	p.vals[vTime] = p.sep.component(p.field(7, n), 1)
	msgType := p.field(9, n)
	p.vals[vType] = p.sep.component(msgType, 1)
	p.vals[vEvent] = p.sep.component(msgType, 2)
	p.vals[vStructure] = p.sep.component(msgType, 3)
	p.vals[vControlID] = p.field(10, n)
	p.vals[vProcessingID] = p.sep.component(p.field(11, n), 1)
	p.vals[vVersion] = p.sep.component(p.field(12, n), 1)
	p.vals[vAcceptAck] = p.field(15, n)
	p.vals[vAppAck] = p.field(16, n)
	p.vals[vCharset] = piece(p.field(18, n), p.sep.Repetition, 1)
}

// hd reads a hierarchic designator (MSH-3..6): the namespace ID, or the
// universal ID when only that is given.
func (p *parser) hd(field []byte) []byte {
	if v := p.sep.component(field, 1); p.sep.hasValue(v) {
		return v
	}
	if v := p.sep.component(field, 2); p.sep.hasValue(v) {
		return v
	}
	return nil
}

func (p *parser) obx(seg []byte) {
	n := p.fields(seg, 18)
	p.s.ValueTypes[valueTypeIndex(p.sep.component(p.field(2, n), 1))]++
	p.device(p.field(18, n), "OBX-18")
}

func (p *parser) prt(seg []byte) {
	n := p.fields(seg, 16)
	p.device(p.field(16, n), "PRT-16")
	p.device(p.field(10, n), "PRT-10")
}

func (p *parser) equ(seg []byte) {
	n := p.fields(seg, 1)
	p.device(p.field(1, n), "EQU-1")
}

// device keeps the first equipment identifier (an EI: entity ID, or the
// universal ID when the entity ID is empty). These identify instruments,
// not patients.
func (p *parser) device(field []byte, where string) {
	if p.vals[vDevice] != nil || len(field) == 0 {
		return
	}
	v := p.sep.component(field, 1)
	if !p.sep.hasValue(v) {
		v = p.sep.component(field, 3)
	}
	if p.sep.hasValue(v) {
		p.vals[vDevice] = v
		p.s.DeviceField = where
	}
}

func (p *parser) msa(seg []byte) {
	n := p.fields(seg, 2)
	p.vals[vAckCode] = p.field(1, n)
	p.vals[vAckControlID] = p.field(2, n)
}

// err reads the HL7 error code: ERR-3 since v2.5, the fourth component of
// ERR-1 before (its first subcomponent).
func (p *parser) err(seg []byte) {
	n := p.fields(seg, 3)
	if v := p.sep.component(p.field(3, n), 1); p.sep.hasValue(v) {
		p.vals[vErrorCode] = v
		return
	}
	v := piece(p.sep.component(p.field(1, n), 4), p.sep.Subcomponent, 1)
	if p.sep.hasValue(v) {
		p.vals[vErrorCode] = v
	}
}

func (p *parser) sft(seg []byte) {
	n := p.fields(seg, 3)
	p.vals[vSftVendor] = p.sep.component(p.field(1, n), 1)
	p.vals[vSftVersion] = p.sep.component(p.field(2, n), 1)
	p.vals[vSftProduct] = p.sep.component(p.field(3, n), 1)
}

// phi records which identifier fields of a segment hold a value.
func (p *parser) phi(seg []byte, k segKind) {
	s := &p.s
	n := p.fields(seg, phiMaxField[k])
	for _, i := range phiIndex[k] {
		f := &phiFields[i]
		if f.field > n {
			continue
		}
		v := p.f[f.field]
		if int(i) == qpdField {
			if kinds := qpdKinds(v, &p.sep); !kinds.Empty() {
				s.PHI |= kinds
				s.PHIFields |= 1 << i
			}
			continue
		}
		if p.sep.hasValue(v) {
			s.PHI.Add(f.kind)
			s.PHIFields |= 1 << i
		}
	}
}
