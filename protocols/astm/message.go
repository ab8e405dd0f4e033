package astm

// Counts keys of an emitted app.Message. They are fixed names, never content;
// a key is present only when its count is not zero.
const (
	KeyOtherRecords   = "other_records"       // records of a type LIS2-A2 does not define
	KeyFrames         = "frames"              // E1381 frames, retransmissions included
	KeyETBFrames      = "etb_frames"          // intermediate frames
	KeyChecksumErrors = "checksum_errors"     // frames failing their checksum
	KeyNAKs           = "naks"                // NAKs from the receiver
	KeyRetries        = "retries"             // frames sent again (counted once in the records)
	KeyNoChecksum     = "no_checksum_frames"  // dialect: ETX/ETB without checksum
	KeyUnnumbered     = "unnumbered_frames"   // dialect: no frame number
	KeyLongFrames     = "long_frames"         // longer than the 247 bytes LIS01-A2 allows
	KeyContention     = "contention"          // both sides sent ENQ
	KeyBusy           = "busy"                // ENQ answered by NAK
	KeyInterrupts     = "interrupts"          // receiver interrupt (EOT instead of ACK)
	KeyFramingErrors  = "framing_errors"      // framing_error anomalies
	KeySequenceErrors = "frame_number_errors" // bad_frame_number anomalies
	KeyFNPrefix       = "record_fn_prefix"    // dialect: records written as "2P|…" inside a frame
	KeyOddDelimiters  = "odd_delimiters"      // H-2 with duplicate delimiters (H|\\^&)
)

// processingKeys name H-12 processing IDs; terminationKeys name L-3 codes.
var (
	processingKeys = map[string]string{
		"P": "processing_production", "Q": "processing_quality_control",
		"T": "processing_training", "D": "processing_debugging",
	}
	terminationKeys = map[byte]string{
		'N': "termination_normal", 'T': "termination_sender_abort", 'R': "termination_receiver_abort",
		'E': "termination_error", 'Q': "termination_query_error", 'I': "termination_no_information",
		'F': "termination_finished",
	}
)

// fillCounts writes the record counts of m and the low-level tallies ll.
func fillCounts(c map[string]int, m *msgState, ll *lowCounts) {
	for i := range m.counts {
		if m.counts[i] > 0 {
			c[recordTypes[i:i+1]] = m.counts[i]
		}
	}
	set(c, KeyOtherRecords, m.other)
	set(c, KeyFrames, ll.frames)
	set(c, KeyETBFrames, ll.etbFrames)
	set(c, KeyChecksumErrors, ll.checksumErrors)
	set(c, KeyNAKs, ll.naks)
	set(c, KeyRetries, ll.retries)
	set(c, KeyNoChecksum, ll.noChecksum)
	set(c, KeyUnnumbered, ll.unnumbered)
	set(c, KeyLongFrames, ll.longFrames)
	set(c, KeyContention, ll.contention)
	set(c, KeyBusy, ll.busy)
	set(c, KeyInterrupts, ll.interrupts)
	set(c, KeyFramingErrors, ll.framingErrors)
	set(c, KeySequenceErrors, ll.sequenceErrors)
	set(c, KeyFNPrefix, m.fnPrefix)
	if m.oddDelims {
		c[KeyOddDelimiters] = 1
	}
	if p := m.header.ProcessingID; p != "" {
		k, ok := processingKeys[p]
		if !ok {
			k = "processing_other"
		}
		c[k] = 1
	}
	if t := m.termination; t != 0 {
		k, ok := terminationKeys[t]
		if !ok {
			k = "termination_other"
		}
		c[k] = 1
	}
}

func set(c map[string]int, k string, v int) {
	if v != 0 {
		c[k] = v
	}
}
