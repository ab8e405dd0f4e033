package dicom

// Registered ports (PS3.15 annex B, IANA): the registry maps Ports to this
// analyzer and TLSPort to the TLS analyzer, which marks the flow encrypted.
var Ports = []uint16{104, 11112}

// TLSPort is DICOM over TLS ("dicom-tls").
const TLSPort uint16 = 2762
