package app

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestKeyedHash(t *testing.T) {
	SetHashKey([]byte("site-key-1"))
	a := KeyedHash("jsmith")
	assert.Len(t, a, 16)
	assert.Equal(t, a, KeyedHash("jsmith"), "stable for one key")
	assert.NotEqual(t, a, KeyedHash("jsmith2"))
	assert.NotContains(t, a, "jsmith")
	SetHashKey([]byte("site-key-2"))
	assert.NotEqual(t, a, KeyedHash("jsmith"), "depends on the key")
}

func TestPHISet(t *testing.T) {
	var s PHISet
	assert.True(t, s.Empty())
	s.Add(PHIName)
	s.Add(PHIBirthDate)
	assert.True(t, s.Has(PHIName))
	assert.False(t, s.Has(PHISSN))
	assert.Equal(t, []string{"name", "birth_date"}, s.Kinds())
	assert.Equal(t, "name,birth_date", s.String())
	assert.Equal(t, "ssn", PHISSN.String())
}
