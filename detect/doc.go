// Package detect consumes what capture and the protocol analyzers report — flow
// starts and ends, application messages, protocol anomalies — and keeps the device
// inventory, the message and error tallies, and (as detection grows) the per-device
// baselines that alerts are scored against.
//
// It never sees packets or payload bytes, and it keeps no patient values: events
// carry PHI kinds, never the identifiers themselves.
package detect
