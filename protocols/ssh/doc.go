// Package ssh reads the identification lines that open an SSH connection
// (RFC 4253 §4.2): "SSH-protoversion-softwareversion [comments]" in each
// direction. Everything after them is encrypted, so the analyzer reports the two
// banners and marks the flow encrypted.
//
// # Reports
//
// One app.Message per direction, App "ssh", Type "banner": Software is the
// software version ("OpenSSH_9.2p1"), Attrs "proto" the protocol version
// ("2.0", "1.99", "1.5"); protocol 1 (1.x, and 1.99 which still offers it) is
// flagged Attrs "insecure" = "ssh1". Banners are equipment identity, never
// patient data; comments are dropped (free text).
//
// # Anomalies
//
// bad_banner: the line does not start with "SSH-" within the lines a server may
// send before it (MaxPreBannerLines), or is longer than MaxBannerBytes. One
// anomaly and the direction is ignored (GaveUp once both directions failed).
//
// # Limits
//
// MaxBannerBytes (255, the RFC's line limit) per line and MaxPreBannerLines (16)
// bound what is buffered; nothing is kept after the banners.
package ssh
