package detect

import (
	"fmt"
	"net/netip"
	"sort"
	"time"

	"labwatch/protocols/app"
)

// errKey is one device speaking one protocol.
type errKey struct {
	Addr netip.Addr
	App  string
}

// errWindow estimates errors and messages over the last ProtocolWindow from two
// adjacent fixed windows (the previous one weighted by how much of it still
// overlaps), so that it needs no per-event history.
type errWindow struct {
	start              time.Time
	prevErr, prevTotal float64
	curErr, curTotal   float64
	reasons            map[string]int // current and previous windows, bounded
	peer               netip.Addr
	flow               *app.Flow
}

const maxReasons = 8

func (w *errWindow) roll(ts time.Time, width time.Duration) {
	switch el := ts.Sub(w.start); {
	case el < width:
	case el < 2*width:
		w.prevErr, w.prevTotal, w.curErr, w.curTotal = w.curErr, w.curTotal, 0, 0
		w.start = w.start.Add(width)
	default:
		w.prevErr, w.prevTotal, w.curErr, w.curTotal = 0, 0, 0, 0
		w.start = ts
		clear(w.reasons)
	}
}

func (w *errWindow) estimate(ts time.Time, width time.Duration) (errs, total float64) {
	frac := 1 - float64(ts.Sub(w.start))/float64(width)
	frac = max(0, min(1, frac))
	return w.curErr + w.prevErr*frac, w.curTotal + w.prevTotal*frac
}

// window returns the error window of a device and protocol, nil at the cap.
// Windows are made by errors only: a device that never errs costs nothing.
func (e *Engine) window(k errKey, ts time.Time) *errWindow {
	w := e.errs[k]
	if w == nil {
		if len(e.errs) >= e.cfg.MaxScanSources {
			// Pruning walks the table: at most once per window, not per event.
			if ts.Sub(e.errsPruned) >= e.cfg.ProtocolWindow {
				e.errsPruned = ts
				e.pruneWindows(ts)
			}
			if len(e.errs) >= e.cfg.MaxScanSources {
				e.dropped["error_windows_over_cap"]++
				return nil
			}
		}
		w = &errWindow{start: ts, reasons: map[string]int{}}
		e.errs[k] = w
	}
	w.roll(ts, e.cfg.ProtocolWindow)
	return w
}

// pruneWindows forgets windows idle for two widths.
func (e *Engine) pruneWindows(ts time.Time) {
	for k, w := range e.errs {
		if ts.Sub(w.start) >= 2*e.cfg.ProtocolWindow {
			delete(e.errs, k)
		}
	}
}

// protocolAnomaly counts a parse error against the device that sent the bytes.
// A flow given up after repeated violations weighs as five errors.
func (e *Engine) protocolAnomaly(a *app.Anomaly) {
	weight := 1.0
	if a.GaveUp {
		weight = 5
	}
	e.protocolError(a.Flow.Src(a.Dir).Addr().Unmap(), a.Flow.Dst(a.Dir).Addr().Unmap(), a.App,
		reasonKey(a.Reason), weight, a.TS, a.Flow)
}

// messageErrors counts a well-formed message against a device that has erred
// recently (the share of errors needs it), and the errors it reports: a
// negative HL7 acknowledgement counts against the sender of the rejected
// message; ASTM NAKs and checksum errors against the sender of the frames.
func (e *Engine) messageErrors(m *app.Message, src, dst netip.Addr) {
	if w := e.errs[errKey{src, m.App}]; w != nil {
		w.roll(m.TS, e.cfg.ProtocolWindow)
		w.curTotal++
	}
	switch m.Ack {
	case "AE", "AR", "CE", "CR":
		e.protocolError(dst, src, m.App, "negative_ack_"+m.Ack, 1, m.TS, m.Flow)
	}
	if n := m.Counts["naks"] + m.Counts["checksum_errors"]; n > 0 {
		e.protocolError(src, dst, m.App, "naks_or_checksum", float64(min(n, 1000)), m.TS, m.Flow)
	}
}

func (e *Engine) protocolError(dev, peer netip.Addr, appName, reason string, weight float64, ts time.Time, f *app.Flow) {
	k := errKey{dev, appName}
	w := e.window(k, ts)
	if w == nil {
		return
	}
	w.curErr += weight
	if _, ok := w.reasons[reason]; ok || len(w.reasons) < maxReasons {
		w.reasons[reason] += int(weight)
	}
	w.peer, w.flow = peer, f
	e.checkErrors(k, w, ts)
}

// checkErrors raises protocol_anomaly when the windowed errors reach the count
// and share thresholds: bursts and storms, not single glitches.
func (e *Engine) checkErrors(k errKey, w *errWindow, ts time.Time) {
	errs, total := w.estimate(ts, e.cfg.ProtocolWindow)
	if errs < float64(e.cfg.ProtocolErrors) || errs/(errs+total) < e.cfg.ProtocolErrorRatio {
		return
	}
	al := flowAlert(AlertProtocolAnomaly, ts, k.Addr, w.flow)
	al.App = k.App
	reasons := make([]string, 0, len(w.reasons))
	for r := range w.reasons {
		reasons = append(reasons, r)
	}
	sort.Strings(reasons)
	al.Summary = fmt.Sprintf("%s: %.0f %s errors in the last %s against %.0f good messages (%s); expected fewer than %d and under %.0f%%",
		k.Addr, errs, k.App, e.cfg.ProtocolWindow, total, joinOrNone(reasons), e.cfg.ProtocolErrors, 100*e.cfg.ProtocolErrorRatio)
	al.Severity = e.severity(SeverityMedium, k.Addr, w.peer)
	al.Details = map[string]any{
		"errors": errs, "messages": total, "reasons": cloneInts(w.reasons), "window": e.cfg.ProtocolWindow.String(),
		"expected_max_errors": e.cfg.ProtocolErrors,
	}
	e.raise(al, k.App)
}

func cloneInts(m map[string]int) map[string]int {
	c := make(map[string]int, len(m))
	for k, v := range m {
		c[k] = v
	}
	return c
}
