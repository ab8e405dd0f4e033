// Package idhash hashes the message control IDs that request/response
// correlation keys on, so pending entries keep no string.
package idhash

// FNV1a is the 64-bit FNV-1a hash of id: control IDs are short, and a
// collision only mismatches one latency.
func FNV1a(id string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(id); i++ {
		h ^= uint64(id[i])
		h *= 1099511628211
	}
	return h
}
