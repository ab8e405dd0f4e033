package tls

// Keys of app.Message.Attrs and Counts set by the analyzer. None carries
// patient data: names are server names and protocol identifiers.
const (
	AttrVersion    = "version"     // client: highest offered; server: negotiated ("tls1.2")
	AttrSNI        = "sni"         // server_name host name (client)
	AttrALPN       = "alpn"        // client: offered list, comma-separated; server: chosen
	AttrCipher     = "cipher"      // chosen suite, IANA name or "0x…" (server)
	AttrJA4        = "ja4"         // JA4 client fingerprint
	AttrJA3        = "ja3"         // JA3 client fingerprint (MD5 hex)
	AttrJA3S       = "ja3s"        // JA3S server fingerprint (MD5 hex)
	AttrInsecure   = "insecure"    // "ssl2", "ssl2_hello", "ssl3", "tls1.0" or "tls1.1"
	AttrWeakCipher = "weak_cipher" // null, export, anon, rc4, des, 3des (server)
	AttrAlert      = "alert"       // alert description name
	AttrLevel      = "level"       // alert level: warning, fatal

	CountCiphers     = "ciphers"     // suites offered, GREASE excluded
	CountExtensions  = "extensions"  // extensions sent, GREASE excluded
	CountHelloRetry  = "hello_retry" // 1 for a HelloRetryRequest
	CountCompression = "compression" // 1 when the server chose TLS compression (CRIME)
	CountSSL2Format  = "ssl2_format" // 1 for a ClientHello in the SSL 2.0 record format
)
