package prototest

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"labwatch/protocols/app"
)

// AssertReplay checks that got, a replay of whole's input cut differently,
// emitted the same: as many messages, equal once align has copied into each
// what rightly differs between replays (its flow, timestamps) from whole's,
// and the same anomaly reasons.
func AssertReplay(t testing.TB, whole, got *Recorder, align func(got, whole *app.Message)) {
	t.Helper()
	require.Equal(t, len(whole.Msgs), len(got.Msgs))
	for i := range got.Msgs {
		align(&got.Msgs[i], &whole.Msgs[i])
	}
	assert.Equal(t, whole.Msgs, got.Msgs)
	assert.Equal(t, whole.Reasons(), got.Reasons())
}

// SameFlow is the align of AssertReplay when only the flow differs.
func SameFlow(got, whole *app.Message) { got.Flow = whole.Flow }
