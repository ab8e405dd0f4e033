package dicom

// Reason codes of the anomalies the package reports (app.Anomaly.Reason). They
// are stable: detection, metrics and the summary key on them.
const (
	// PDU framing (PS3.8 section 9.3).
	ReasonBadPDUType   = "bad_pdu_type"   // a PDU type outside 0x01..0x07, or a reserved byte set
	ReasonBadPDULength = "bad_pdu_length" // a length impossible for its type (release, abort, reject are 4)
	ReasonPDUTooLarge  = "pdu_too_large"  // a length past MaxPDUBytes or, buffered, MaxControlPDUBytes
	ReasonTruncatedPDU = "truncated_pdu"  // the stream closed or expired inside a PDU
	ReasonGapResync    = "gap_resync"     // bytes lost in capture; parsing resumed at the next PDU

	// Association PDUs (A-ASSOCIATE-RQ/AC/RJ, A-ABORT).
	ReasonBadItem         = "bad_item"          // a variable item or sub-item overruns its parent or is malformed
	ReasonTooManyContexts = "too_many_contexts" // more presentation contexts than MaxContexts

	// P-DATA-TF.
	ReasonBadPDV          = "bad_pdv"           // a PDV length below 2 or past its PDU, or reserved header bits set
	ReasonTooManyPDVs     = "too_many_pdvs"     // more PDVs in one PDU than MaxPDVsPerPDU
	ReasonUnknownContext  = "unknown_context"   // a PDV on a presentation context the association did not accept
	ReasonCommandTooLarge = "command_too_large" // a command set past MaxCommandBytes
	ReasonBadCommand      = "bad_command"       // a command set that is not a well-formed group 0000 data set
	ReasonBadDataset      = "bad_dataset"       // a data set element header that cannot be read

	// Flow.
	ReasonGaveUp = "gave_up" // too many violations: the rest of the flow is ignored
)
