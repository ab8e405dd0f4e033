package scenario

import (
	"net/netip"
	"sort"
	"time"

	"labwatch/protocols/app"
)

// builder accumulates events.
type builder struct {
	rng    *rng
	nextID uint64
	events []Event
}

// conn adds a TCP or UDP flow from client to server:port lasting dur, with its
// start and end events; messages go in between.
func (b *builder) conn(t app.Transport, client, server netip.Addr, port uint16, start time.Time, dur time.Duration, bytes [2]uint64, packets [2]uint64) *app.Flow {
	b.nextID++
	f := &app.Flow{
		ID: b.nextID, Transport: t, Start: start,
		Client: netip.AddrPortFrom(client, b.rng.ephemeral()),
		Server: netip.AddrPortFrom(server, port),
	}
	b.events = append(b.events,
		Event{Kind: FlowStart, TS: start, Flow: f},
		Event{Kind: FlowEnd, TS: start.Add(dur), Flow: f, Bytes: bytes, Packets: packets})
	return f
}

// msg adds a message on flow f in direction dir at ts.
func (b *builder) msg(f *app.Flow, dir app.Direction, ts time.Time, m app.Message) {
	m.Flow, m.Dir, m.TS = f, dir, ts
	b.events = append(b.events, Event{Kind: Message, TS: ts, Flow: f, Msg: &m})
}

// anomaly adds a protocol anomaly on flow f.
func (b *builder) anomaly(f *app.Flow, dir app.Direction, ts time.Time, appName, reason string, gaveUp bool) {
	b.events = append(b.events, Event{Kind: Anomaly, TS: ts, Flow: f,
		Anom: &app.Anomaly{App: appName, Reason: reason, Flow: f, Dir: dir, TS: ts, GaveUp: gaveUp}})
}

// session adds one connection carrying n messages spread over [start, start+span):
// each message from the client and, with ack set, an answer from the server.
func (b *builder) session(client, server netip.Addr, port uint16, start time.Time, span time.Duration, n int, m app.Message, ack *app.Message) *app.Flow {
	size := uint64(max(m.Bytes, 200))
	bytes := [2]uint64{uint64(n)*size + 400, uint64(n)*120 + 300}
	packets := [2]uint64{uint64(2*n + 3), uint64(n + 3)}
	f := b.conn(app.TCP, client, server, port, start, span+2*time.Second, bytes, packets)
	times := make([]time.Time, n)
	for i := range times {
		times[i] = b.rng.within(start.Add(time.Second), span)
	}
	sort.Slice(times, func(i, j int) bool { return times[i].Before(times[j]) })
	for _, ts := range times {
		b.msg(f, app.ClientToServer, ts, m)
		if ack != nil {
			b.msg(f, app.ServerToClient, ts.Add(150*time.Millisecond), *ack)
		}
	}
	return f
}

// sorted returns the events in time order; at equal times, flow starts first
// and flow ends last.
func (b *builder) sorted() []Event {
	rank := [...]int{FlowStart: 0, Message: 1, Anomaly: 1, FlowEnd: 2}
	sort.SliceStable(b.events, func(i, j int) bool {
		a, c := &b.events[i], &b.events[j]
		if !a.TS.Equal(c.TS) {
			return a.TS.Before(c.TS)
		}
		return rank[a.Kind] < rank[c.Kind]
	})
	return b.events
}

// Message templates. PHI is reported as kinds and field positions only.
var (
	patientPHI = app.PHISet(app.PHIPatientID | app.PHIName | app.PHIBirthDate)
	hl7Fields  = []string{"PID-3", "PID-5", "PID-7"}
)

func oru(sender string) app.Message {
	return app.Message{App: "hl7", Type: "ORU^R01", Sender: sender, Receiver: "LIS^LAB", Version: "2.5.1",
		Results: 8, Orders: 1, PHI: patientPHI, PHIFields: hl7Fields, Bytes: 1800, Software: "4.2"}
}

func hl7Ack(code string) *app.Message {
	return &app.Message{App: "hl7", Type: "ACK", Sender: "ENGINE^LAB", Ack: code, Bytes: 120}
}

func astmResult(sender string) app.Message {
	return app.Message{App: "astm", Type: "result", Sender: sender, Results: 12, PHI: app.PHISet(app.PHIPatientID | app.PHIName),
		PHIFields: []string{"ASTM P-3", "ASTM P-6"}, Bytes: 900, Counts: map[string]int{"frames": 3}}
}
