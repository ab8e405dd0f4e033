package trail

import (
	"errors"
	"fmt"
)

// Reason says why the chain breaks at a line; the values are stable codes.
type Reason string

const (
	ReasonBadJSON      Reason = "bad_json"
	ReasonTorn         Reason = "torn" // the last line is cut short: no newline, not a whole alert
	ReasonUnsealed     Reason = "unsealed"
	ReasonTooLong      Reason = "line_too_long"
	ReasonAltered      Reason = "altered"
	ReasonMissing      Reason = "missing"
	ReasonReordered    Reason = "reordered"
	ReasonDuplicate    Reason = "duplicate"
	ReasonRestarted    Reason = "restarted"
	ReasonOtherSensor  Reason = "other_sensor"
	ReasonHeadMismatch Reason = "head_mismatch"
	ReasonReadError    Reason = "read_error"
)

// Break is the first place an alert file leaves the chain. Line is the 1-based
// line blamed (the altered line, the first out of place); Seq its sequence
// number (0 when unreadable); Want the sequence number expected there, when
// one was; Other a second line involved (the line whose prev_hash exposed an
// alteration, the later line holding a reordered Seq), or 0.
type Break struct {
	Line   int
	Seq    uint64
	Want   uint64
	Other  int
	Reason Reason
}

// Error describes the break by position and reason only.
func (b *Break) Error() string {
	at := fmt.Sprintf("line %d", b.Line)
	if b.Seq > 0 {
		at += fmt.Sprintf(" (seq %d)", b.Seq)
	}
	var why string
	switch b.Reason {
	case ReasonBadJSON:
		why = "not a JSON alert"
	case ReasonTorn:
		why = "cut short: the last line is not a whole alert and has no newline (a write was interrupted, e.g. by a full disk or a crash)"
	case ReasonUnsealed:
		why = "no sequence number: the alert was not sealed"
	case ReasonTooLong:
		why = fmt.Sprintf("longer than %d bytes", MaxLineBytes)
	case ReasonAltered:
		why = "altered: its bytes do not match the hash"
		if b.Other > 0 {
			why += fmt.Sprintf(" that line %d recorded", b.Other)
		}
	case ReasonMissing:
		why = fmt.Sprintf("missing alert: seq %d is not in the file (deleted)", b.Want)
		if b.Seq > b.Want+1 {
			why = fmt.Sprintf("missing alerts: seq %d to %d are not in the file (deleted)", b.Want, b.Seq-1)
		}
	case ReasonReordered:
		why = fmt.Sprintf("out of order: seq %d was expected here", b.Want)
		if b.Other > 0 {
			why += fmt.Sprintf(" and is at line %d", b.Other)
		}
	case ReasonDuplicate:
		why = "the same alert as the line before"
	case ReasonRestarted:
		why = "the chain starts again at seq 1 (the sensor lost its chain head)"
	case ReasonOtherSensor:
		why = "an alert of another sensor than the first line's"
	case ReasonHeadMismatch:
		if b.Want > 0 {
			why = fmt.Sprintf("the sensor's saved head is seq %d, past the end of the file (alerts deleted at the end)", b.Want)
		} else {
			why = "altered: its bytes do not match the sensor's saved head"
		}
	case ReasonReadError:
		why = "the file could not be read"
	default:
		why = string(b.Reason)
	}
	return "trail: " + at + ": " + why
}

// ErrHead is wrapped by every error about a head state file's content.
var ErrHead = errors.New("trail: unusable chain head file")
