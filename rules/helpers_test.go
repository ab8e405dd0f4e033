package rules

import (
	"net/netip"
	"time"

	"labwatch/detect"
	"labwatch/protocols/app"
)

// t0 is the capture time the tests start at.
var t0 = time.Date(2026, 3, 4, 14, 0, 0, 0, time.UTC)

// site is a small hospital: 10.0.0.0/8 trusted, a few named devices.
func site() SiteInfo {
	cfg := detect.DefaultConfig()
	cfg.Devices = []detect.DeviceConfig{
		{Match: detect.MustPrefix("10.40.1.0/24"), Name: "chem-line", Role: "analyzer"},
		{Match: detect.MustPrefix("10.40.2.10"), Name: "lis-1", Role: "lis"},
		{Match: detect.MustPrefix("10.40.3.20"), Name: "pacs", Role: "modality"},
		{Match: detect.MustPrefix("10.40.4.0/24"), Name: "glucose", Role: "poct"},
	}
	return SiteFromConfig(&cfg)
}

// flow returns a TCP flow from client to server ("ip:port").
func flow(client, server string) *app.Flow {
	return &app.Flow{ID: 1, Transport: app.TCP,
		Client: netip.MustParseAddrPort(client), Server: netip.MustParseAddrPort(server), Start: t0}
}

// msg builds a message on a client-to-server flow.
func msg(appName, typ, client, server string) *app.Message {
	return &app.Message{App: appName, Type: typ, Flow: flow(client, server), Dir: app.ClientToServer, TS: t0}
}

// eventOf builds the event of m with the test site.
func eventOf(m *app.Message) *Event {
	ev := EventFrom(m, site())
	return &ev
}

// mustParse compiles a rule file or fails the test.
func mustParse(t interface {
	Helper()
	Fatalf(string, ...any)
}, src string) *File {
	t.Helper()
	f, err := ParseFile([]byte(src), "test.yaml")
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	return f
}

func ruleIDs(alerts []*detect.Alert) []string {
	var ids []string
	for _, a := range alerts {
		ids = append(ids, a.RuleID)
	}
	return ids
}

// time1s is i seconds.
func time1s(i int) time.Duration { return time.Duration(i) * time.Second }
