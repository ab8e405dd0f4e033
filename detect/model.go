package detect

import (
	"net"
	"net/netip"
	"sort"
	"time"

	"labwatch/protocols/app"
)

// model is everything detection learns: one device model per trusted address,
// the clear-text PHI and credential paths already reported, and how much capture
// time has been observed. It is what a baseline file holds.
type model struct {
	// observed is the capture time seen so far, summed over every run that
	// learned into this model (gaps longer than an hour count as one hour).
	observed time.Duration
	devices  map[netip.Addr]*devModel
	phiPaths map[pathKey]*pathInfo
	creds    map[pathKey]*pathInfo
	// insecure holds the obsolete or clear-text protocols already reported,
	// per device (reported once for the life of the baseline).
	insecure map[insecureKey]*pathInfo
	// unproven lists the addresses whose models were created before they
	// proved real (see devModel.proven).
	unproven unprovenQueue
}

func newModel() *model {
	return &model{
		devices:  map[netip.Addr]*devModel{},
		phiPaths: map[pathKey]*pathInfo{},
		creds:    map[pathKey]*pathInfo{},
		insecure: map[insecureKey]*pathInfo{},
	}
}

// devModel is what one device normally does.
type devModel struct {
	// judgeFrom is the observed time from which the device is judged: the end of
	// the learning window for devices seen during it, first sighting plus the
	// window for devices that appeared later (after their new_device alert).
	judgeFrom time.Duration
	firstSeen time.Time
	lastSeen  time.Time
	mac       string
	name      string // from the configuration
	role      string
	hostname  string // from DHCP
	dnsName   string // from DNS answers

	peers    map[peerKey]uint32 // flows per peer and service
	services map[serviceKey]uint32
	known    map[kindKey]uint32 // message types and identities, counted
	prof     profile
	overCap  uint32 // peers, services or identities not learned for lack of room
	// software holds the software identities the device revealed, by slot.
	software map[swKey]*swInfo

	// Runtime only (not saved).
	// proven: the address answered as a server, sent an application message
	// or held a TCP conversation, which a spoofed source cannot do. At
	// max_devices an unproven model gives way to a new device, so a flood of
	// spoofed sources inside the trusted networks cannot fill the table
	// before the real devices show up. Models from a baseline are proven.
	proven      bool
	cur         hourCounts // the open hour
	recent      hourRing   // the last closed active hours, for the report
	unusualHour int64      // last hour an unusual_time alert was raised for
}

// peerKey is one peer and service of a device. Out means the device opened the
// connection to Addr:Port; otherwise Addr connected to the device's Port. The
// client's ephemeral port is never part of the key.
type peerKey struct {
	Addr  netip.Addr
	Port  uint16
	Proto app.Transport
	Out   bool
}

// kindKey is one message type or identity of one application: {"hl7", "type",
// "ORU^R01"}. A struct key, so that a lookup builds no string.
type kindKey struct{ App, What, Value string }

func (k kindKey) String() string { return k.App + " " + k.What + " " + k.Value }

// serviceKey is a port a device offers (Offer) or uses as a client.
type serviceKey struct {
	Port  uint16
	Proto app.Transport
	Offer bool
}

// pathKey is a client, server, service port and application: the unit that
// clear-text PHI and credentials are reported once for.
type pathKey struct {
	Client, Server netip.Addr
	Port           uint16
	App            string
	User           string // credentials only: keyed hash of the user name
}

// pathInfo is what is kept of a reported path: kinds only, never values.
type pathInfo struct {
	First time.Time
	Last  time.Time
	Count uint64
	PHI   app.PHISet
}

// serviceList names the services a device offers (or uses), sorted.
func (d *devModel) serviceList(offer bool) []string {
	var out []string
	for s := range d.services {
		if s.Offer == offer {
			out = append(out, serviceName(s.Proto, s.Port))
		}
	}
	sort.Strings(out)
	return out
}

// peersOn counts the peers a device knows on one service and direction.
func (d *devModel) peersOn(port uint16, t app.Transport, out bool) int {
	n := 0
	for p := range d.peers {
		if p.Port == port && p.Proto == t && p.Out == out {
			n++
		}
	}
	return n
}

func macString(m [6]byte) string { return net.HardwareAddr(m[:]).String() }
