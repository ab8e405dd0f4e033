// Package detect consumes what capture and the protocol analyzers report — flow
// starts and ends, application messages, protocol anomalies — and keeps the device
// inventory, the message and error tallies, and the per-device baselines that
// alerts are scored against. It never sees packets or payload bytes, and it keeps
// no patient values: events carry PHI kinds, never the identifiers themselves.
//
// # Learning
//
// A device is a unicast address in the trusted networks that was active (opened a
// flow, sent a message, or answered one with at least two packets). Outside
// addresses are peers, never devices. Each device learns: peers with their service
// port and direction (the client's ephemeral port is never part of it; server
// ports in the dynamic range count as one "ephemeral" service); services offered
// and used; message types and identities (HL7 TYPE^EVENT and sending application,
// ASTM sender, POCT device, DICOM AE titles and SOP classes, TLS JA4); and for
// every hour of the day, weekday and weekend apart, six volumes (messages,
// connections and bytes, each direction) as count, sum, sum of squares, min and
// max. Infrastructure flows (DNS, NTP, DHCP, NetBIOS, mDNS, SSDP) are not volume.
//
// The learning window (Config.Learn) runs on capture time from the first event.
// Devices seen during it are judged when it ends; a device that appears later is
// reported as new_device and then learns for a window of its own. Hours are closed
// as the capture clock passes them (Tick or the next event): an hour with no event
// at all is skipped (the sensor was blind), and a partial hour (the sensor started
// or stopped inside it) is neither learned nor taken as a silence. With Adapt, the
// profiles keep learning after the window, each hour weighing 1/AdaptWeight.
//
// # Detection
//
//   - new_device: after learning, a device never seen.
//   - new_peer: a judged device reaches a host on a service it knew, or an outside
//     host reaches it; new peers on one service merge within the dedup window.
//   - new_service: a judged device uses a service port it never used, or answers on
//     one it never offered.
//   - volume_anomaly: at the end of an hour, the metric that deviates most. A spike
//     needs VolumeSigmas spreads (the spread is at least the Poisson noise of the
//     mean, wider for slots learned from few days; for bytes, the noise of a
//     Poisson count of flows), VolumeRatio times the mean and a minimum excess (10
//     messages, 50 connections, 256 KiB). A silence needs an hour of the day that
//     was busy every learned day (SilenceMinExpected or more, never below a third
//     of it) and less than a tenth seen. Weekend hours never learned are judged on
//     the weekday profile, for spikes only.
//   - unusual_time: a connection or message (not an acknowledgement) in an hour of
//     the day the device was never active in, nor the hours beside it.
//   - new_message_type: a message type or identity never seen from the device.
//   - version_change: a software identity of a judged device changed (see
//     Software). low for an update (same product, higher numbers), medium for
//     a rollback or different software (which may be another host answering
//     on the address). Identities are saved with the baseline, so a change
//     across a restart is reported; a slot that flaps is one alert with a
//     count (dedup per slot).
//   - insecure_protocol: once per device and protocol for the life of the
//     baseline (learning included): Telnet, FTP past its greeting (not over
//     AUTH TLS), SNMP v1/v2c (the agent), SSL 2/3 and TLS 1.0/1.1 offered or
//     chosen (the TLS analyzer's "insecure"; the sender), and HL7, ASTM or
//     DICOM unencrypted with a peer outside the trusted networks (the inside
//     end). Medium, raised as for other types (high to an outside peer).
//     SMBv1 and SSH have no analyzer yet and are not judged.
//   - cleartext_phi: once per path (client, server, port, app) for the life of the
//     baseline; medium while learning (the site's known clear-text interfaces),
//     high for a new path after learning, critical when it leaves the trusted
//     networks.
//   - cleartext_credentials: once per client, server, port, app and user hash.
//   - protocol_anomaly: ProtocolErrors or more errors in ProtocolWindow making at
//     least ProtocolErrorRatio of the device's traffic in that protocol. Errors are
//     parse anomalies (a flow given up weighs five), HL7 negative acknowledgements
//     (against the sender of the rejected message), ASTM NAKs and checksum errors.
//   - scan: a source reaching ScanTargets host:port pairs, or ScanHosts hosts,
//     within ScanWindow, counting only connections nobody answered and, from a
//     judged device, peers it never used. A reported scanner's further contacts
//     are neither alerted as new peers nor learned.
//
// cleartext_phi, cleartext_credentials, insecure_protocol, protocol_anomaly
// and scan do not need a baseline and are raised during learning too; the
// others wait for it.
//
// # Software
//
// Each device keeps its software identities in slots (app, kind, context),
// at most MaxIdentities (more are counted as software_over_cap): "software"
// (HL7 SFT per sending application, ASTM H-5 version per analyzer model,
// POCT1-A, DICOM implementation version name, ZPL firmware), "banner" (Telnet,
// FTP, SMTP, POP3, IMAP greeting, per server port), "server" and "user_agent"
// (HTTP; user agents per product, so only a new version of the same client
// is a change), "implementation_uid" (DICOM), "hw_version" (POCT1-A),
// "vendor_class" (DHCP option 60, when sent from the leased address), and
// the sets "tls_offered", "tls_chosen" and "cipher" (TLS, fixed vocabularies
// only), which vary by peer and never raise version_change. Snapshot lists
// them per device (Device.Software).
//
// Severity starts from the type (low: volume, hours, message types, versions;
// medium: new device, peer, service, credentials, protocol; high: scan) and rises
// one level for a device whose configured role is clinical (analyzer, lis,
// interface_engine, poct, middleware) and one for a peer outside the trusted
// networks. Alerts of the same type, device and peer (or service, or metric)
// within DedupWindow are merged: the first is sent at once, the repeats are
// counted and reported once, with Count, when the window (which slides while the
// episode goes on) closes. MaxAlertsPerMin caps the rate.
//
// # Persistence
//
// SaveBaseline writes the model atomically (temporary file, fsync, rename, fsync
// of the directory) as gzip-compressed JSON in a versioned envelope with a
// SHA-256 of the body; LoadBaseline refuses a damaged file or an unknown
// version whole. Format version 2 adds software identities per device and
// the insecure protocols reported; version 1 files still load (without
// them). Tick saves every BaselineSaveEvery of capture time (and at least 30
// seconds of wall time apart) to the file LoadBaseline was given.
//
// # Limits
//
// Every table has a cap in Config (devices, peers and services per device, known
// types, PHI and credential paths, followed sources, dedup entries, alert rate);
// what a cap refuses is counted in Snapshot.Dropped by reason.
package detect
