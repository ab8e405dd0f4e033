package output

import (
	"sync"

	"github.com/rs/zerolog"
)

// diskFault logs a disk that refuses writes (full, read-only, I/O error) once
// per episode instead of once per alert: the first failure at error level, the
// first success after it at info level with how many alerts were lost in
// between. The error text names files and the cause, never alert content.
type diskFault struct {
	mu      sync.Mutex
	failing bool
	lost    int
}

// failed records a refused write that lost n alerts (0 when nothing was lost,
// such as a delivered alert that could not be removed from the queue).
func (d *diskFault) failed(log zerolog.Logger, what string, err error, n int) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.lost += n
	if d.failing {
		return
	}
	d.failing = true
	log.Error().Err(err).Int("alerts", n).Msg(what + " failed; logged once until the disk takes writes again")
}

// ok records a write the disk took, ending an episode.
func (d *diskFault) ok(log zerolog.Logger, what string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if !d.failing {
		return
	}
	log.Info().Int("alerts_lost", d.lost).Msg(what + " works again")
	d.failing, d.lost = false, 0
}
