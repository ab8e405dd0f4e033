//go:build linux

package afpacket

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"golang.org/x/sys/unix"
)

func TestErrorsSayWhatToDo(t *testing.T) {
	o := Options{Interface: "eth1", Sockets: 2, BlockSize: 1 << 20, NumBlocks: 64}
	for _, c := range []struct {
		name string
		err  error
		want string
		kind error
	}{
		{"no privilege", unix.EPERM, "cap_net_raw", nil},
		{"old kernel", errors.New("no known tpacket versions work on this machine"), "--capture pcap", ErrUnsupported},
		{"ring too big", errors.New("setsockopt packet_rx_ring v3: cannot allocate memory"), "64 MiB ring per socket × 2", nil},
		{"interface gone", errors.New("InterfaceByName: route ip+net: no such network interface"), "went away", ErrInterfaceDown},
	} {
		err := explainTPacket(o, c.err)
		assert.Contains(t, err.Error(), c.want, c.name)
		if c.kind != nil {
			assert.ErrorIs(t, err, c.kind, c.name)
		}
	}
}
