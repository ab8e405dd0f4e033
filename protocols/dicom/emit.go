package dicom

import (
	"fmt"
	"strconv"

	"labwatch/protocols/app"
)

// Attrs keys this package adds to those of app.Message (see doc.go).
const (
	attrCallingAE    = "calling_ae"
	attrCalledAE     = "called_ae"
	attrSOPClass     = "sop_class"
	attrTransfer     = "transfer_syntax"
	attrAppContext   = "app_context"
	attrImplUID      = "implementation_uid"
	attrCommand      = "command"
	attrStatus       = "status"
	attrAuth         = "auth"
	attrUserHash     = "user_hash"
	attrReject       = "reject"
	attrRejectSource = "reject_source"
	attrAbortSource  = "abort_source"
)

// rejectResults, rejectSources and abortSources name the fields of A-ASSOCIATE-RJ and
// A-ABORT (PS3.8 tables 9-21 and 9-26).
var (
	rejectResults = [...]string{1: "permanent", 2: "transient"}
	rejectSources = [...]string{1: "user", 2: "provider_acse", 3: "provider_presentation"}
	abortSources  = [...]string{0: "user", 1: "reserved", 2: "provider"}
)

// begin fills the parts of the reused message every PDU shares.
func (a *Analyzer) begin(s *side) *app.Message {
	clear(a.counts)
	clear(a.attrs)
	a.fields = a.fields[:0]
	a.msg = app.Message{App: "dicom", Type: pduNames[s.typ], Flow: a.flow, Dir: s.dir, TS: a.now,
		Counts: a.counts, Attrs: a.attrs, Bytes: pduHeaderLen + int(s.length)}
	a.msg.Sender, a.msg.Receiver = a.callingAE, a.calledAE
	if s.dir != a.requester {
		a.msg.Sender, a.msg.Receiver = a.calledAE, a.callingAE
	}
	return &a.msg
}

// send emits the message. A PDU that raised no violation while it was read
// confirms the flow and clears the violation count; one that did (a bad
// command set, an unreadable data set) is still reported, so that PDU counts
// match the wire, but does not.
func (a *Analyzer) send(s *side) {
	if a.rep.Violations == s.violationsAtStart {
		a.rep.Violations = 0
	}
	a.emit.Message(&a.msg)
}

// setCount stores positive tallies only, so that Counts stays small.
func (a *Analyzer) setCount(key string, v int) {
	if v > 0 {
		a.counts[key] = v
	}
}

// emitData reports a complete P-DATA-TF.
func (a *Analyzer) emitData(s *side) {
	if a.rep.GaveUp {
		return
	}
	m := a.begin(s)
	p := &s.pdu
	a.setCount("pdvs", p.commandPDVs+p.dataPDVs)
	a.setCount("command_pdvs", p.commandPDVs)
	a.setCount("data_pdvs", p.dataPDVs)
	a.setCount("commands", p.commands)
	a.setCount("dataset_bytes", p.phi.datasetBytes)
	a.setCount("patient_tags", p.phi.patientTags)
	if p.command != "" {
		a.attrs[attrCommand] = p.command
	}
	if p.sopClass != "" {
		a.attrs[attrSOPClass] = p.sopClass
	}
	if p.hasStatus {
		a.attrs[attrStatus] = statusClass(p.status)
	}
	if p.hasID {
		m.ControlID = strconv.Itoa(int(p.messageID))
	}
	m.AckLatency = p.latency
	a.fields = p.phi.fill(&m.PHI, a.fields)
	if len(a.fields) > 0 {
		m.PHIFields = a.fields
	}
	s.pdu.reset()
	a.send(s)
}

// controlDone handles a buffered association, release or abort PDU.
func (s *side) controlDone() {
	a := s.an
	s.st = stHeader
	body := s.body
	if s.typ != pduAssociateRQ && s.typ != pduAssociateAC && len(body) != shortPDULen {
		a.report(s.dir, ReasonBadPDULength, fmt.Sprintf("%s of %d bytes, not %d", pduNames[s.typ], len(body), shortPDULen), true)
		return
	}
	switch s.typ {
	case pduAssociateRQ, pduAssociateAC:
		a.associate(s, body)
	case pduAssociateRJ:
		a.begin(s)
		a.attrs[attrReject] = nameOf(rejectResults[:], body[1])
		a.attrs[attrRejectSource] = nameOf(rejectSources[:], body[2])
		a.setCount("reject_reason", int(body[3]))
		a.send(s)
	case pduAbort:
		a.begin(s)
		a.attrs[attrAbortSource] = nameOf(abortSources[:], body[2])
		a.setCount("abort_reason", int(body[3]))
		a.send(s)
	default: // A-RELEASE-RQ/RP
		a.begin(s)
		a.send(s)
	}
}

func nameOf(names []string, v byte) string {
	if int(v) < len(names) && names[v] != "" {
		return names[v]
	}
	return "unknown"
}

// associate parses and reports an A-ASSOCIATE-RQ or -AC.
func (a *Analyzer) associate(s *side, body []byte) {
	rq := s.typ == pduAssociateRQ
	if rq {
		a.ctx.reset()
	}
	var as association
	if err := parseAssociate(body, rq, &a.cfg, &a.ctx, &as); err != nil {
		a.report(s.dir, err.reason, err.detail, true)
		return
	}
	if rq || a.callingAE == "" && a.calledAE == "" {
		a.callingAE, a.calledAE = as.callingAE, as.calledAE
		a.requester = s.dir
		if !rq {
			a.requester = s.dir.Reverse()
		}
	}
	m := a.begin(s)
	m.Software = as.implName
	if as.version == 1 {
		m.Version = "1"
	} else {
		m.Version = strconv.Itoa(int(as.version))
	}
	a.attrs[attrCallingAE], a.attrs[attrCalledAE] = a.callingAE, a.calledAE
	setAttr(a.attrs, attrSOPClass, as.sopClasses)
	setAttr(a.attrs, attrTransfer, as.syntaxes)
	setAttr(a.attrs, attrAppContext, as.appContext)
	setAttr(a.attrs, attrImplUID, as.implUID)
	setAttr(a.attrs, attrAuth, as.auth)
	setAttr(a.attrs, attrUserHash, as.userHash)
	a.setCount("presentation_contexts", as.contexts)
	a.setCount("abstract_syntaxes", as.sopCount)
	a.setCount("transfer_syntaxes", as.transferSyntaxes)
	a.setCount("accepted_contexts", as.accepted)
	a.setCount("rejected_contexts", as.rejected)
	a.setCount("role_selections", as.roleSelections)
	a.setCount("extended_negotiations", as.extNegs)
	a.setCount("unknown_items", as.unknownItems)
	a.setCount("max_pdu_length", int(min(as.maxPDU, 1<<31-1)))
	if as.userHash != "" {
		a.counts["credentials"] = 1
	}
	if as.identityAC {
		a.counts["identity_accepted"] = 1
	}
	a.send(s)
}

func setAttr(attrs map[string]string, key, v string) {
	if v != "" {
		attrs[key] = v
	}
}
