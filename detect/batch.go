package detect

import "labwatch/protocols/app"

// Batch takes detection's lock once for many events: a worker hands over what
// one batch of packets produced instead of contending for the lock on every
// message. Alerts raised go to the sink after the lock is released.
type Batch struct{ e *Engine }

// Batch runs fill with the lock held.
func (e *Engine) Batch(fill func(b Batch)) {
	e.mu.Lock()
	fill(Batch{e})
	e.unlockAndDeliver()
}

// FlowStart is Engine.FlowStart inside a batch.
func (b Batch) FlowStart(f *app.Flow) { b.e.flowStartLocked(f) }

// FlowEnd is Engine.FlowEnd inside a batch.
func (b Batch) FlowEnd(r *FlowRecord) { b.e.flowEndLocked(r) }

// FlowProgress is Engine.FlowProgress inside a batch.
func (b Batch) FlowProgress(r *FlowRecord) { b.e.flowProgressLocked(r) }

// Message is Engine.Message inside a batch.
func (b Batch) Message(m *app.Message) { b.e.messageLocked(m) }

// Anomaly is Engine.Anomaly inside a batch.
func (b Batch) Anomaly(a *app.Anomaly) { b.e.anomalyLocked(a) }
