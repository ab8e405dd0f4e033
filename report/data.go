package report

import (
	"sync"
	"time"

	"labwatch/detect"
	"labwatch/output"
)

// Data is everything a page shows. The caller assembles it from the sensor
// (Collect does it from the summary, the detection engine and an AlertLog).
type Data struct {
	Sensor    string
	Generated time.Time // wall clock of the page
	Summary   *output.Summary
	// Alerts are the most recent alerts, oldest first; AlertsOmitted counts the
	// older ones no longer kept.
	Alerts        []detect.Alert
	AlertsOmitted uint64
	Edges         []detect.Edge
	// Volumes are the learned hour-of-day profiles by device address; Current is
	// the hour detection has not closed yet.
	Volumes map[string][]detect.HourVolume
	Current detect.OpenHour
	// Recent are the last closed hours each device was active in, observed.
	Recent map[string][]detect.ObservedHour
}

// Collect assembles a page's data from a run's summary, the detection engine
// (which may be nil) and the alert log (which may be nil).
func Collect(sum *output.Summary, e *detect.Engine, log *AlertLog) *Data {
	d := &Data{Generated: time.Now().UTC(), Summary: sum}
	if sum != nil {
		d.Sensor = sum.Sensor
	}
	if e != nil {
		d.Edges = e.Edges()
		d.Volumes = e.VolumeProfiles()
		d.Current = e.CurrentHour()
		d.Recent = e.RecentHours()
	}
	if log != nil {
		d.Alerts, d.AlertsOmitted = log.Snapshot()
	}
	return d
}

// AlertLog keeps the last alerts of a run, bounded, for the report. Add may be
// used as (part of) the sensor's alert sink; it is safe for concurrent use.
type AlertLog struct {
	mu      sync.Mutex
	ring    []detect.Alert
	next    int // index of the oldest entry once the ring is full
	full    bool
	omitted uint64
}

// NewAlertLog keeps at most size alerts (DefaultAlertLogSize when size <= 0).
func NewAlertLog(size int) *AlertLog {
	if size <= 0 {
		size = DefaultAlertLogSize
	}
	return &AlertLog{ring: make([]detect.Alert, 0, size)}
}

// Add keeps a copy of a; the oldest alert is forgotten (and counted) at the cap.
func (l *AlertLog) Add(a *detect.Alert) {
	if a == nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.full {
		l.ring = append(l.ring, *a)
		l.full = len(l.ring) == cap(l.ring)
		return
	}
	l.ring[l.next] = *a
	l.next = (l.next + 1) % len(l.ring)
	l.omitted++
}

// Snapshot returns the kept alerts, oldest first, and how many were forgotten.
func (l *AlertLog) Snapshot() ([]detect.Alert, uint64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := make([]detect.Alert, 0, len(l.ring))
	out = append(out, l.ring[l.next:]...)
	out = append(out, l.ring[:l.next]...)
	return out, l.omitted
}
