package detect_test

import (
	"fmt"
	"net/netip"
	"time"

	"labwatch/detect"
	"labwatch/testdata/scenario"
)

// replay feeds scenario events to an engine, ticking once per minute of capture
// time (the sensor ticks every second; a minute is enough here and faster).
func replay(e *detect.Engine, events []scenario.Event) {
	var next time.Time
	for i := range events {
		ev := &events[i]
		if next.IsZero() {
			next = ev.TS.Truncate(time.Minute).Add(time.Minute)
		}
		for !ev.TS.Before(next) {
			e.Tick(next)
			next = next.Add(time.Minute)
		}
		feed(e, ev)
	}
	e.Close()
}

func feed(e *detect.Engine, ev *scenario.Event) {
	switch ev.Kind {
	case scenario.FlowStart:
		e.FlowStart(ev.Flow)
	case scenario.FlowEnd:
		e.FlowEnd(&detect.FlowRecord{Flow: ev.Flow, Last: ev.TS, Packets: ev.Packets, Bytes: ev.Bytes})
	case scenario.Message:
		e.Message(ev.Msg)
	case scenario.Anomaly:
		e.Anomaly(ev.Anom)
	}
}

// collector gathers alerts.
type collector struct{ alerts []*detect.Alert }

func (c *collector) sink(a *detect.Alert) { c.alerts = append(c.alerts, a) }

func scenarioConfig() detect.Config {
	cfg := detect.DefaultConfig()
	cfg.Sensor = "test-sensor"
	return cfg
}

// typeScore is recall and false alarms of one alert type.
type typeScore struct {
	Injected    int `json:"injected"`
	Detected    int `json:"detected"`
	FalseAlarms int `json:"false_alarms"`
}

// score matches alerts after the learning window with the truth: a required
// entry is detected by an alert of its type and device within its window; an
// alert matching no entry (required or optional) is a false alarm. Repeats
// reported when a dedup window closes may come up to an hour later.
func score(sc *scenario.Scenario, alerts []*detect.Alert) (map[string]*typeScore, []string) {
	out := map[string]*typeScore{}
	get := func(t string) *typeScore {
		if out[t] == nil {
			out[t] = &typeScore{}
		}
		return out[t]
	}
	judged := sc.Start.Add(sc.Learn)
	matches := func(tr scenario.Truth, a *detect.Alert, slack time.Duration) bool {
		inWindow := !a.TS.Before(tr.From) && !a.TS.After(tr.To.Add(slack))
		if a.Type == detect.AlertInsecureProtocol {
			// The scenario injects clear-text logins and PHI sent outside; the
			// protocol that carried them is insecure too, on either end.
			return (tr.Type == detect.AlertCleartextCredentials || tr.Type == detect.AlertCleartextPHI) && inWindow
		}
		return tr.Type == a.Type && tr.Device == a.Device && inWindow
	}
	for _, tr := range sc.Truth {
		if tr.Optional {
			continue
		}
		s := get(tr.Type)
		s.Injected++
		for _, a := range alerts {
			if matches(tr, a, 0) {
				s.Detected++
				break
			}
		}
	}
	var false_ []string
	for _, a := range alerts {
		if a.TS.Before(judged) {
			continue
		}
		ok := false
		for _, tr := range sc.Truth {
			if matches(tr, a, time.Hour+time.Minute) {
				ok = true
				break
			}
		}
		if !ok {
			get(a.Type).FalseAlarms++
			false_ = append(false_, fmt.Sprintf("%s %s %s: %s", a.TS.Format(time.RFC3339), a.Type, a.Device, a.Summary))
		}
	}
	return out, false_
}

func mustAP(s string) netip.AddrPort { return netip.MustParseAddrPort(s) }
