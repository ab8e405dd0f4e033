package detect

import (
	"fmt"
	"net/netip"
	"sort"
	"time"

	"labwatch/protocols/app"
)

// target is one host and port a source probed.
type target struct {
	Addr netip.Addr
	Port uint16
}

// scanState follows one source within a fixed window: the distinct probes it
// made (bounded by ScanTargets) and whether it was reported.
type scanState struct {
	start   time.Time
	targets []target
	hosts   int
	alerted bool
}

// scanTarget counts one probe of src: a connection from a judged device to a
// host or service it never used, or a connection nobody answered.
func (e *Engine) scanTarget(src, dst netip.Addr, port uint16, ts time.Time, f *app.Flow) {
	if !src.IsValid() || dst.IsMulticast() || dst == netip.AddrFrom4([4]byte{255, 255, 255, 255}) || background(f) {
		return
	}
	st := e.scans[src]
	if st == nil {
		if len(e.scans) >= e.cfg.MaxScanSources && ts.Sub(e.scansPruned) >= e.cfg.ScanWindow {
			// Pruning walks the table: at most once per window, not per event.
			e.scansPruned = ts
			e.pruneScans(ts)
		}
		if len(e.scans) >= e.cfg.MaxScanSources {
			e.dropped["scan_sources_over_cap"]++
			return
		}
		st = &scanState{start: ts}
		e.scans[src] = st
	}
	if ts.Sub(st.start) >= e.cfg.ScanWindow {
		*st = scanState{start: ts, targets: st.targets[:0]}
	}
	if st.alerted || len(st.targets) >= e.cfg.ScanTargets {
		return
	}
	t := target{dst, port}
	newHost := true
	for _, have := range st.targets {
		if have == t {
			return
		}
		if have.Addr == dst {
			newHost = false
		}
	}
	st.targets = append(st.targets, t)
	if newHost {
		st.hosts++
	}
	if len(st.targets) >= e.cfg.ScanTargets || st.hosts >= e.cfg.ScanHosts {
		st.alerted = true
		e.scanAlert(src, st, ts, f)
	}
}

func (e *Engine) scanAlert(src netip.Addr, st *scanState, ts time.Time, f *app.Flow) {
	ports := map[uint16]bool{}
	for _, t := range st.targets {
		ports[t.Port] = true
	}
	list := make([]int, 0, len(ports))
	for p := range ports {
		list = append(list, int(p))
	}
	sort.Ints(list)
	if len(list) > 20 {
		list = list[:20]
	}
	al := flowAlert(AlertScan, ts, src, f)
	al.Summary = fmt.Sprintf("%s probed %d unfamiliar or unanswered host:port targets on %d hosts within %s; expected fewer than %d targets and %d hosts",
		src, len(st.targets), st.hosts, ts.Sub(st.start).Round(time.Second), e.cfg.ScanTargets, e.cfg.ScanHosts)
	al.Severity = e.severity(SeverityHigh, src, netip.Addr{})
	al.Details = map[string]any{
		"targets": len(st.targets), "hosts": st.hosts, "ports": list, "window": e.cfg.ScanWindow.String(),
		"expected_max_targets": e.cfg.ScanTargets, "expected_max_hosts": e.cfg.ScanHosts,
	}
	e.raise(al, "")
}

// pruneScans forgets sources whose window is over.
func (e *Engine) pruneScans(ts time.Time) {
	for k, st := range e.scans {
		if ts.Sub(st.start) >= e.cfg.ScanWindow {
			delete(e.scans, k)
		}
	}
}

// scanning tells whether src was reported as scanning within the scan window.
func (e *Engine) scanning(src netip.Addr, ts time.Time) bool {
	st := e.scans[src]
	return st != nil && st.alerted && ts.Sub(st.start) < e.cfg.ScanWindow
}
