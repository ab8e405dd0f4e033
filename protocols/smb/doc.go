// Package smb tells which SMB dialect family a connection speaks, for the
// insecure-protocol finding: SMBv1 (deprecated, the protocol of EternalBlue and
// WannaCry) versus SMB 2/3. It reads the NetBIOS session framing (RFC 1002,
// direct TCP on 445 or session service on 139) and the protocol id of each SMB
// message ("\xffSMB", "\xfeSMB", "\xfdSMB" for an SMB3 encrypted transform,
// "\xfcSMB" compressed); it does not decode commands.
//
// # Reports
//
// One app.Message per direction and dialect family the first time it appears,
// App "smb", Type "SMB1", "SMB2", "SMB3_encrypted" or "SMB2_compressed".
// A client's SMB1 negotiate often only offers SMB2 dialects; SMBv1 is in use
// when the server answers in SMB1, which detection judges.
//
// # Anomalies
//
// bad_frame: a NetBIOS frame of an unknown type or an SMB message without a
// known protocol id; after MaxViolations the flow is given up once.
//
// # Limits
//
// Only frame headers are read: frames are skipped by their length without
// buffering (MaxFramesPerDirection frames are examined, then the direction is
// left alone), so memory does not depend on traffic.
package smb
