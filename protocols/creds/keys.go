package creds

// Summary keys (app.Message.Type).
const (
	TypeBanner   = "banner"   // the server's greeting; Software holds its text
	TypeLogin    = "login"    // credentials (or an anonymous login) crossed in clear
	TypeStartTLS = "starttls" // the session upgraded to TLS: the rest is encrypted
)

// Keys of app.Message.Attrs and Counts. Values are never user names,
// passwords or community strings: those appear only as app.KeyedHash.
const (
	AttrAuth      = "auth"              // mechanism: user_pass, apop, login, sasl_plain, sasl_login, sasl_cram_md5, sasl_xoauth2, telnet, community
	AttrUserHash  = "user_hash"         // app.KeyedHash of the user name (SNMP: of the community)
	AttrResult    = "result"            // success, failure or unknown (the server's answer to the login)
	AttrAnonymous = "anonymous"         // "1" for an anonymous FTP login
	AttrVersion   = "version"           // SNMP: v1, v2c, v3
	AttrDefault   = "default_community" // SNMP: "1" when the community is a well-known default

	CountCredentials = "credentials" // 1 when a reusable secret crossed in clear
)
