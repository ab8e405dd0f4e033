package hl7

// checkHeader validates what the summary keys on. A type that is not three
// letters or digits is fatal: it would become a summary key and a baseline
// entry, so hostile input could mint unbounded keys. The rest are warnings.
func (p *parser) checkHeader() error {
	s := &p.s
	t := p.vals[vType]
	if !p.sep.hasValue(t) || !isCode3(t) {
		p.vals[vType], p.vals[vEvent], p.vals[vStructure] = nil, nil, nil
		if !p.sep.hasValue(t) {
			return ErrMissingType
		}
		return ErrBadType
	}
	if ev := p.vals[vEvent]; len(ev) > 0 && !isCode3(ev) {
		s.Warnings.add(WarnBadEvent)
		p.vals[vEvent] = nil
	}
	if !isStructure(p.vals[vStructure]) {
		p.vals[vStructure] = nil
	}
	if !p.sep.hasValue(p.vals[vControlID]) {
		s.Warnings.add(WarnMissingControlID)
	}
	if !isVersion(p.vals[vVersion]) {
		s.Warnings.add(WarnBadVersion)
		p.vals[vVersion] = nil
	}
	// Coded header values have a known shape; anything else is dropped
	// rather than copied, so a confused or hostile sender cannot smuggle
	// free text (or patient data) into events through them.
	p.keepIf(vTime, 32, isTimeByte)
	p.keepIf(vProcessingID, 3, isAlnum)
	p.keepIf(vAcceptAck, 2, isAlnum)
	p.keepIf(vAppAck, 2, isAlnum)
	p.keepIf(vErrorCode, 5, isDigit) // HL7 table 0357 codes are numeric
	if !isCharset(p.vals[vCharset]) {
		p.vals[vCharset] = nil
	}
	if string(t) == "ACK" && s.SegmentCounts[segMSA] == 0 {
		s.Warnings.add(WarnMissingMSA)
	}
	if s.SegmentCounts[segMSA] > 0 && !isAckCode(p.vals[vAckCode]) {
		s.Warnings.add(WarnBadAckCode)
		p.vals[vAckCode] = nil
	}
	return nil
}

// isCode3 tells whether b is a message type or event code: three upper-case
// letters or digits.
func isCode3(b []byte) bool {
	if len(b) != 3 {
		return false
	}
	for _, c := range b {
		if !(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

// isStructure accepts message structure ids such as ORU_R01 or ACK.
func isStructure(b []byte) bool {
	if len(b) < 3 || len(b) > 7 {
		return false
	}
	for _, c := range b {
		if !(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}

// isVersion accepts "2." and a digit, then letters, digits and dots
// (2.5.1, and the 2.3.z of some public-health profiles), at most 12 bytes.
func isVersion(b []byte) bool {
	if len(b) < 3 || len(b) > 12 || b[0] != '2' || b[1] != '.' || b[2] < '1' || b[2] > '9' {
		return false
	}
	for _, c := range b[3:] {
		if !isAlnum(c) && c != '.' {
			return false
		}
	}
	return true
}

// keepIf drops value v unless it is at most n bytes of allowed characters.
func (p *parser) keepIf(v, n int, allowed func(byte) bool) {
	b := p.vals[v]
	if len(b) > n {
		p.vals[v] = nil
		return
	}
	for _, c := range b {
		if !allowed(c) {
			p.vals[v] = nil
			return
		}
	}
}

func isDigit(c byte) bool    { return c >= '0' && c <= '9' }
func isTimeByte(c byte) bool { return isDigit(c) || c == '.' || c == '+' || c == '-' }

// isCharset accepts the character sets of HL7 table 0211.
func isCharset(b []byte) bool {
	switch string(b) {
	case "ASCII", "ISO IR6", "ISO IR14", "ISO IR87", "ISO IR159", "ISO IR192", "GB 18030-2000",
		"KS X 1001", "CNS 11643-1992", "BIG-5", "UNICODE", "UNICODE UTF-8", "UNICODE UTF-16",
		"UNICODE UTF-32":
		return true
	}
	if len(b) >= 6 && len(b) <= 7 && string(b[:5]) == "8859/" {
		for _, c := range b[5:] {
			if !isDigit(c) {
				return false
			}
		}
		return true
	}
	return false
}

func isAckCode(b []byte) bool {
	switch string(b) {
	case "AA", "AE", "AR", "CA", "CE", "CR":
		return true
	}
	return false
}

// finish copies the header values into the summary's strings.
func (p *parser) finish() {
	s := &p.s
	sb := &p.sb
	sb.b.Reset()
	sb.limit, sb.sep = p.cfg.MaxValueBytes, p.sep
	sb.grow(p.vals[:])
	sendApp, sendFac, sender := sb.addJoined(p.vals[vSendApp], p.vals[vSendFac], '^')
	recvApp, recvFac, receiver := sb.addJoined(p.vals[vRecvApp], p.vals[vRecvFac], '^')
	typ, ev, key := sb.addJoined(p.vals[vType], p.vals[vEvent], '^')
	product, version, software := sb.addJoined(p.vals[vSftProduct], p.vals[vSftVersion], ' ')
	var single [numVals]strSpan
	for _, v := range [...]int{vTime, vStructure, vControlID, vProcessingID, vVersion,
		vAcceptAck, vAppAck, vCharset, vAckCode, vAckControlID, vErrorCode, vDevice, vSftVendor} {
		single[v] = sb.add(p.vals[v])
	}
	all := sb.b.String()
	s.SendingApp, s.SendingFacility, s.Sender = sendApp.of(all), sendFac.of(all), sender.of(all)
	s.ReceivingApp, s.ReceivingFacility, s.Receiver = recvApp.of(all), recvFac.of(all), receiver.of(all)
	s.MessageType, s.Event, s.Key = typ.of(all), ev.of(all), key.of(all)
	if s.MessageType == "ACK" {
		s.Key = s.MessageType
	}
	s.SoftwareProduct, s.SoftwareVersion, s.Software = product.of(all), version.of(all), software.of(all)
	s.Time = single[vTime].of(all)
	s.Structure = single[vStructure].of(all)
	s.ControlID = single[vControlID].of(all)
	s.ProcessingID = single[vProcessingID].of(all)
	s.Version = single[vVersion].of(all)
	s.AcceptAck = single[vAcceptAck].of(all)
	s.AppAck = single[vAppAck].of(all)
	s.Charset = single[vCharset].of(all)
	s.AckCode = single[vAckCode].of(all)
	s.AckControlID = single[vAckControlID].of(all)
	s.ErrorCode = single[vErrorCode].of(all)
	s.Device = single[vDevice].of(all)
	s.SoftwareVendor = single[vSftVendor].of(all)
}
