package detect

import "time"

// Severity of an alert.
type Severity string

const (
	SeverityInfo     Severity = "info"
	SeverityLow      Severity = "low"
	SeverityMedium   Severity = "medium"
	SeverityHigh     Severity = "high"
	SeverityCritical Severity = "critical"
)

// Alert types, the contract of DESIGN.md.
const (
	AlertNewDevice            = "new_device"
	AlertNewPeer              = "new_peer"
	AlertNewService           = "new_service"
	AlertVolumeAnomaly        = "volume_anomaly"
	AlertUnusualTime          = "unusual_time"
	AlertNewMessageType       = "new_message_type"
	AlertCleartextPHI         = "cleartext_phi"
	AlertProtocolAnomaly      = "protocol_anomaly"
	AlertCleartextCredentials = "cleartext_credentials"
	AlertScan                 = "scan"
	AlertVersionChange        = "version_change"
	AlertInsecureProtocol     = "insecure_protocol"
	AlertRule                 = "rule"
)

// Alert is one finding, serialised as one JSON object per line. Field names and
// meanings are a contract with SIEMs and scripts (see README, "Alerts").
type Alert struct {
	TS        time.Time      `json:"ts"` // capture time
	Type      string         `json:"type"`
	Severity  Severity       `json:"severity"`
	Device    string         `json:"device"`
	SrcIP     string         `json:"src_ip,omitempty"`
	SrcPort   uint16         `json:"src_port,omitempty"`
	DstIP     string         `json:"dst_ip,omitempty"`
	DstPort   uint16         `json:"dst_port,omitempty"`
	Transport string         `json:"transport,omitempty"`
	App       string         `json:"app,omitempty"`
	Summary   string         `json:"summary"`
	Details   map[string]any `json:"details,omitempty"`
	RuleID    string         `json:"rule_id,omitempty"`
	Count     int            `json:"count,omitempty"`
	ID        string         `json:"id"`
	Sensor    string         `json:"sensor"`
	// Seq and PrevHash chain the alerts of one sensor (package trail): Seq counts
	// from 1, PrevHash is the SHA-256 of the previous alert's JSON line.
	Seq      uint64 `json:"seq,omitempty"`
	PrevHash string `json:"prev_hash,omitempty"`
}
