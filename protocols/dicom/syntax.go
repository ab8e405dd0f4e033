package dicom

// syntax is how a data set is encoded, from its presentation context's
// transfer syntax (PS3.5 section 10).
type syntax uint8

const (
	synUnknown    syntax = iota // no A-ASSOCIATE-AC seen: guessed per data set
	synImplicitLE               // 1.2.840.10008.1.2
	synExplicitLE               // 1.2.840.10008.1.2.1 and every compressed syntax
	synExplicitBE               // 1.2.840.10008.1.2.2 (retired, still seen)
	synDeflated                 // 1.2.840.10008.1.2.1.99: the data set is zlib, not scanned
)

// syntaxOf maps a transfer syntax UID to its encoding. Compressed syntaxes
// (JPEG, RLE, MPEG …) encode the data set in explicit VR little endian; only
// the pixel data is encapsulated.
func syntaxOf(uid string) syntax {
	switch uid {
	case "1.2.840.10008.1.2":
		return synImplicitLE
	case "1.2.840.10008.1.2.2":
		return synExplicitBE
	case "1.2.840.10008.1.2.1.99":
		return synDeflated
	case "":
		return synUnknown
	}
	return synExplicitLE
}
