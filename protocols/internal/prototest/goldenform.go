package prototest

import "labwatch/protocols/app"

// GoldenAnomaly is how golden files pin an anomaly: its direction, reason
// and detail (which never carries a patient value).
type GoldenAnomaly struct {
	Dir    string `json:"dir"`
	Reason string `json:"reason"`
	Detail string `json:"detail"`
	GaveUp bool   `json:"gave_up,omitempty"`
}

// GoldenAnomalies converts anomalies for a golden file; never nil, so that an
// empty list is written [] rather than null.
func GoldenAnomalies(anoms []app.Anomaly) []GoldenAnomaly {
	out := []GoldenAnomaly{}
	for _, a := range anoms {
		out = append(out, GoldenAnomaly{Dir: a.Dir.String(), Reason: a.Reason, Detail: a.Detail, GaveUp: a.GaveUp})
	}
	return out
}

// ProbeName names a probe result as golden files write it.
func ProbeName(r app.ProbeResult) string {
	switch r {
	case app.NoMatch:
		return "no_match"
	case app.NeedMore:
		return "need_more"
	case app.Match:
		return "match"
	}
	return "unknown"
}
