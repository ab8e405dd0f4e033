package sensor

import (
	"maps"

	"labwatch/capture"
	"labwatch/detect"
	"labwatch/protocols/app"
)

// maxBatchedEvents is when a lane hands its events over without waiting for
// laneFlushEvery.
const maxBatchedEvents = 512

// workerEvents collects what one worker's engine and analyzers produce for
// detection and the rules, and hands it over in one go (flush): one lock
// taken per batch of packets instead of two per message, which on two cores
// left workers waiting for each other. It is the worker's capture handler and
// its analyzers' emitter. Messages are copied, since analyzers reuse theirs;
// event slots and their maps are reused from batch to batch.
type workerEvents struct {
	s      *Sensor
	events []workerEvent
	n      int // slots in use
}

type eventKind uint8

const (
	evFlowStart eventKind = iota
	evFlowEnd
	evFlowProgress
	evMessage
	evAnomaly
)

type workerEvent struct {
	kind eventKind
	flow *app.Flow
	rec  detect.FlowRecord
	msg  app.Message
	anom app.Anomaly
	// Owned copies of the message's slice and maps.
	phi    []string
	counts map[string]int
	attrs  map[string]string
}

func (w *workerEvents) add(k eventKind) *workerEvent {
	if w.n == len(w.events) {
		w.events = append(w.events, workerEvent{})
	}
	ev := &w.events[w.n]
	w.n++
	ev.kind = k
	return ev
}

func (w *workerEvents) full() bool { return w != nil && w.n >= maxBatchedEvents }

// FlowStart implements capture.Handler.
func (w *workerEvents) FlowStart(f *capture.Flow) (app.Analyzer, app.DatagramAnalyzer) {
	w.add(evFlowStart).flow = &f.Flow
	return w.s.analyzers(f, w)
}

// FlowEnd implements capture.Handler.
func (w *workerEvents) FlowEnd(f *capture.Flow, _ capture.EndReason) {
	w.add(evFlowEnd).rec = endRecord(f)
}

// FlowProgress implements capture.ProgressHandler.
func (w *workerEvents) FlowProgress(f *capture.Flow) {
	w.add(evFlowProgress).rec = progressRecord(f)
}

// Message implements app.Emitter.
func (w *workerEvents) Message(m *app.Message) {
	ev := w.add(evMessage)
	ev.msg = *m
	ev.phi = append(ev.phi[:0], m.PHIFields...)
	ev.msg.PHIFields = ev.phi
	ev.msg.Counts = copyMap(&ev.counts, m.Counts)
	ev.msg.Attrs = copyMap(&ev.attrs, m.Attrs)
}

// Anomaly implements app.Emitter.
func (w *workerEvents) Anomaly(a *app.Anomaly) {
	w.add(evAnomaly).anom = *a
}

// copyMap copies src into the reused map *dst (nil stays nil).
func copyMap[V any](dst *map[string]V, src map[string]V) map[string]V {
	if src == nil {
		return nil
	}
	if *dst == nil {
		*dst = make(map[string]V, len(src))
	}
	clear(*dst)
	maps.Copy(*dst, src)
	return *dst
}

// flush hands the collected events to detection under one lock, then the
// messages to the rules under one more. A nil workerEvents (one worker, which
// calls detection directly) has nothing to flush.
func (w *workerEvents) flush() {
	if w == nil || w.n == 0 {
		return
	}
	evs := w.events[:w.n]
	w.n = 0
	w.s.detect.Batch(func(b detect.Batch) {
		for i := range evs {
			ev := &evs[i]
			switch ev.kind {
			case evFlowStart:
				b.FlowStart(ev.flow)
			case evFlowEnd:
				b.FlowEnd(&ev.rec)
			case evFlowProgress:
				b.FlowProgress(&ev.rec)
			case evMessage:
				b.Message(&ev.msg)
			case evAnomaly:
				b.Anomaly(&ev.anom)
			}
		}
	})
	w.s.alerts.messages(evs)
	for i := range evs {
		// Drop references so that ended flows can be collected.
		evs[i].flow, evs[i].rec.Flow, evs[i].msg.Flow, evs[i].anom.Flow = nil, nil, nil, nil
	}
}
