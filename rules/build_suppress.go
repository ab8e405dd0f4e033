package rules

import (
	"cmp"
	"net/netip"

	"labwatch/detect"
)

// suppressor checks the suppress, limit and threshold sections.
func (b *builder) suppressor(doc *fileDoc) *Suppressor {
	s := &Suppressor{held: make(map[string]uint64)}
	if n := len(doc.Suppress) + len(doc.Limit) + len(doc.Threshold); n > MaxEntries {
		b.errs.at(nil, "", "%d suppress, limit and threshold entries: more than %d", n, MaxEntries)
		return nil
	}
	for i := range doc.Suppress {
		if m, ok := b.matcher("suppress", i, &doc.Suppress[i]); ok {
			s.suppress = append(s.suppress, m)
		}
	}
	for _, sec := range []struct {
		name  string
		docs  []limitDoc
		every bool
	}{{"limit", doc.Limit, false}, {"threshold", doc.Threshold, true}} {
		for i := range sec.docs {
			d := &sec.docs[i]
			sel := d.selector()
			m, ok := b.matcher(sec.name, i, &sel)
			by := cmp.Or(d.By, BySrc)
			window, good := b.counting(sec.name, i, "", "", d.Count, d.Window, by, !sec.every)
			if ok && good {
				s.rates = append(s.rates, &rateEntry{matcher: m, every: sec.every, count: d.Count,
					window: window, by: by, counts: newWindows(window, MaxKeys)})
			}
		}
	}
	return s
}

// matcher checks the selecting fields of one entry.
func (b *builder) matcher(section string, i int, d *matchDoc) (matcher, bool) {
	m := matcher{typ: d.Type, ruleID: d.RuleID}
	for _, f := range []struct {
		name, text string
		dst        *netip.Prefix
	}{{"device", d.Device, &m.device}, {"peer", d.Peer, &m.peer}} {
		if f.text == "" {
			continue
		}
		var p detect.Prefix
		if err := p.UnmarshalText([]byte(f.text)); err != nil {
			b.errs.at(b.loc.at(section, i, f.name), "", "%s: %v", f.name, err)
			return m, false
		}
		*f.dst = p.Prefix
	}
	switch {
	case m == matcher{}:
		b.errs.at(b.loc.at(section, i, ""), "", "%s entry selects every alert: give type, rule_id, device or peer", section)
		return m, false
	case m.typ != "" && !knownType(m.typ):
		b.errs.at(b.loc.at(section, i, "type"), "", "type: unknown alert type %q", m.typ)
		return m, false
	}
	return m, true
}

func knownType(t string) bool {
	switch t {
	case detect.AlertNewDevice, detect.AlertNewPeer, detect.AlertNewService,
		detect.AlertVolumeAnomaly, detect.AlertUnusualTime, detect.AlertNewMessageType,
		detect.AlertCleartextPHI, detect.AlertProtocolAnomaly, detect.AlertCleartextCredentials,
		detect.AlertScan, detect.AlertVersionChange, detect.AlertInsecureProtocol, detect.AlertRule:
		return true
	}
	return false
}
