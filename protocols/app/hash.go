package app

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"sync"
)

var (
	hashMu  sync.RWMutex
	hashKey = randomKey()
)

func randomKey() []byte {
	k := make([]byte, 32)
	_, _ = rand.Read(k)
	return k
}

// SetHashKey sets the site's key for KeyedHash. Without it a random key is used,
// so hashes are stable within one run but not across runs or sensors.
func SetHashKey(key []byte) {
	if len(key) == 0 {
		return
	}
	hashMu.Lock()
	hashKey = append([]byte(nil), key...)
	hashMu.Unlock()
}

// KeyedHash returns a short keyed hash (HMAC-SHA256, 16 hex digits) of a value
// that must not leave the sensor — a user name, a patient identifier — so that
// an analyst can correlate occurrences without learning the value.
func KeyedHash(value string) string {
	hashMu.RLock()
	m := hmac.New(sha256.New, hashKey)
	hashMu.RUnlock()
	m.Write([]byte(value))
	return hex.EncodeToString(m.Sum(nil)[:8])
}
