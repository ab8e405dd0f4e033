package sensor

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"net/netip"
	"sync"

	"labwatch/capture"
	"labwatch/detect"
	"labwatch/protocols/app"
	"labwatch/rules"
	"labwatch/trail"
)

// alertStage is where every alert passes: user and default rules raise some from
// messages, detection raises the rest; suppression and thresholds apply to all;
// then each gets its id and goes to the sink. One lock serialises it, since the
// rule set and the suppressor keep windows and are not safe for concurrent use.
type alertStage struct {
	mu     sync.Mutex
	rules  *rules.Set
	sup    *rules.Suppressor
	site   rules.SiteInfo
	sensor string
	sink   func(*detect.Alert)
	ev     rules.Event // the event of the message being matched
	seq    uint64
	raised map[string]uint64 // alerts delivered, by type
	dedup  dedup
	// chain seals every delivered alert with its sequence number and the hash
	// of the previous one (labwatch verify checks the file).
	chain trail.Chain
	// evidence, when set, writes the packets of an alert's flow to a pcap.
	evidence *capture.Evidence
}

func newAlertStage(cfg *Config, set *rules.Set, sup *rules.Suppressor, sink func(*detect.Alert)) *alertStage {
	st := &alertStage{
		sup: sup, site: rules.SiteFromConfig(&cfg.Detect),
		sensor: cfg.Detect.Sensor, sink: sink, raised: map[string]uint64{},
		dedup: newDedup(cfg.Detect.DedupWindow, maxDedupKeys),
	}
	st.setRules(set)
	return st
}

// setRules installs a rule set whose matches are deduplicated by the stage.
func (st *alertStage) setRules(set *rules.Set) {
	set.Admit = st.dedup.admit
	st.rules = set
}

// loadRules reads the user rule file, if any, combined with the default set.
func loadRules(path string) (*rules.Set, *rules.Suppressor, error) {
	if path == "" {
		return rules.Default(), nil, nil
	}
	f, err := rules.LoadFile(path)
	if err != nil {
		return nil, nil, err
	}
	set, err := rules.Combine(rules.Default(), f.Rules)
	if err != nil {
		return nil, nil, fmt.Errorf("rules: %s: %w", path, err)
	}
	return set, f.Suppressor, nil
}

// message runs the rules on one message.
func (st *alertStage) message(m *app.Message) {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.matchLocked(m)
}

func (st *alertStage) matchLocked(m *app.Message) {
	// One event reused under the lock: built on the stack, it would escape
	// through Match and cost an allocation per message.
	st.ev = rules.EventFrom(m, st.site)
	for _, a := range st.rules.Match(&st.ev) {
		st.deliverLocked(a)
	}
}

// messages runs the rules on the messages of a worker's batch, under one lock.
func (st *alertStage) messages(evs []workerEvent) {
	st.mu.Lock()
	defer st.mu.Unlock()
	for i := range evs {
		if evs[i].kind == evMessage {
			st.matchLocked(&evs[i].msg)
		}
	}
}

// setSite replaces the names, roles and trust the rules see (config reload).
func (st *alertStage) setSite(site rules.SiteInfo) {
	st.mu.Lock()
	st.site = site
	st.mu.Unlock()
}

// deliver is detection's sink.
func (st *alertStage) deliver(a *detect.Alert) {
	st.mu.Lock()
	st.deliverLocked(a)
	st.mu.Unlock()
}

func (st *alertStage) deliverLocked(a *detect.Alert) {
	// Repeats were folded before alerts were built: rule matches by the dedup
	// table (setRules), detection's by detection itself.
	if !st.sup.Filter(a) {
		return
	}
	if a.Sensor == "" {
		a.Sensor = st.sensor
	}
	if a.ID == "" {
		a.ID = st.id(a)
	}
	st.attachEvidence(a)
	st.chain.Seal(a)
	st.raised[a.Type]++
	if st.sink != nil {
		st.sink(a)
	}
}

// id makes an alert id unique per sensor: a hash of the sensor, the alert's
// identity and a sequence number.
func (st *alertStage) id(a *detect.Alert) string {
	st.seq++
	h := sha256.New()
	fmt.Fprintf(h, "%s|%s|%s|%s|%s|%d|", st.sensor, a.Type, a.RuleID, a.Device, a.DstIP, a.TS.UnixNano())
	var n [8]byte
	binary.BigEndian.PutUint64(n[:], st.seq)
	h.Write(n[:])
	return hex.EncodeToString(h.Sum(nil)[:12])
}

// reload swaps in new rules and suppression, keeping the windows and counts of
// the entries that did not change.
func (st *alertStage) reload(set *rules.Set, sup *rules.Suppressor) {
	st.mu.Lock()
	defer st.mu.Unlock()
	set.Adopt(st.rules)
	if sup != nil {
		sup.Adopt(st.sup)
	}
	st.setRules(set)
	st.sup = sup
}

// snapshot returns alerts delivered by type, suppression counts by reason, and
// the rule counters.
func (st *alertStage) snapshot() (raised map[string]uint64, held map[string]uint64, rs rules.Stats) {
	st.mu.Lock()
	defer st.mu.Unlock()
	raised = make(map[string]uint64, len(st.raised))
	for k, v := range st.raised {
		raised[k] = v
	}
	held = st.sup.Stats().Held
	if st.dedup.folded > 0 {
		held["duplicate"] += st.dedup.folded
	}
	return raised, held, st.rules.Stats()
}

// resumeChain continues the alert chain from a saved head and from the alert
// file, whichever is further (after a crash the file may be ahead).
func (st *alertStage) resumeChain(headPath, alertsPath string) error {
	st.mu.Lock()
	defer st.mu.Unlock()
	if headPath != "" {
		if err := st.chain.LoadHead(headPath); err != nil {
			return err
		}
	}
	if alertsPath != "" {
		return st.chain.ResumeFile(alertsPath)
	}
	return nil
}

// saveChainHead writes the chain's head atomically.
func (st *alertStage) saveChainHead(path string) error {
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.chain.SaveHead(path)
}

// attachEvidence asks for an evidence capture of the alert's flow and names the
// file in the alert (before sealing: the path is part of the alert).
func (st *alertStage) attachEvidence(a *detect.Alert) {
	if st.evidence == nil || a.SrcIP == "" || a.DstIP == "" {
		return
	}
	src, err1 := netip.ParseAddr(a.SrcIP)
	dst, err2 := netip.ParseAddr(a.DstIP)
	proto := map[string]uint8{"tcp": 6, "udp": 17}[a.Transport]
	if err1 != nil || err2 != nil || proto == 0 {
		return
	}
	path := st.evidence.Request(netip.AddrPortFrom(src, a.SrcPort), netip.AddrPortFrom(dst, a.DstPort), proto, a.ID, a.TS)
	if path == "" {
		return
	}
	if a.Details == nil {
		a.Details = map[string]any{}
	}
	a.Details["evidence"] = path
}
