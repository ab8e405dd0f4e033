//go:build linux

package afpacket

import (
	"errors"
	"fmt"
	"net"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/stretchr/testify/require"

	"labwatch/capture/afpacket/vethtest"
	"labwatch/capture/pcapfile"
)

// listenPort is where the tests' UDP traffic goes in namespace A.
const listenPort = 7000

// openIn opens a group on the pair's interface A, from inside namespace A.
func openIn(t *testing.T, p *vethtest.Pair, o Options) *Group {
	t.Helper()
	o.Interface = p.IfA
	if o.PollTimeout == 0 {
		o.PollTimeout = 100 * time.Millisecond
	}
	var g *Group
	var err error
	p.In(t, p.A, func() { g, err = Open(o) })
	require.NoError(t, err)
	t.Cleanup(g.Close)
	return g
}

// udpFlows opens n UDP conversations: a listener on A:listenPort and n sockets
// in B, each of which says hello once so that ARP is settled before capturing.
type udpFlows struct {
	a  *net.UDPConn
	bs []*net.UDPConn
}

func newUDPFlows(t *testing.T, p *vethtest.Pair, n int, port int) *udpFlows {
	t.Helper()
	f := &udpFlows{}
	var err error
	p.In(t, p.A, func() {
		f.a, err = net.ListenUDP("udp4", &net.UDPAddr{IP: net.ParseIP(p.AddrA), Port: port})
	})
	require.NoError(t, err)
	t.Cleanup(func() { f.a.Close() })
	p.In(t, p.B, func() {
		for i := 0; i < n; i++ {
			b, err := net.DialUDP("udp4", nil, &net.UDPAddr{IP: net.ParseIP(p.AddrA), Port: port})
			require.NoError(t, err)
			t.Cleanup(func() { b.Close() })
			f.bs = append(f.bs, b)
		}
	})
	f.exchange(t, 1)
	time.Sleep(200 * time.Millisecond)
	return f
}

// exchange sends k datagrams each way on every conversation and returns how
// many packets that put on the wire.
func (f *udpFlows) exchange(t *testing.T, k int) int {
	t.Helper()
	msg := []byte("labwatch afpacket test")
	for i := 0; i < k; i++ {
		for _, b := range f.bs {
			_, err := b.Write(msg)
			require.NoError(t, err)
			_, err = f.a.WriteToUDP(msg, b.LocalAddr().(*net.UDPAddr))
			require.NoError(t, err)
		}
	}
	return 2 * k * len(f.bs)
}

// tuple names a UDP conversation the same way in both directions.
func tuple(data []byte) (string, bool) {
	pkt := gopacket.NewPacket(data, layers.LayerTypeEthernet, gopacket.NoCopy)
	ip, _ := pkt.Layer(layers.LayerTypeIPv4).(*layers.IPv4)
	udp, _ := pkt.Layer(layers.LayerTypeUDP).(*layers.UDP)
	if ip == nil || udp == nil {
		return "", false
	}
	x := fmt.Sprintf("%s:%d", ip.SrcIP, udp.SrcPort)
	y := fmt.Sprintf("%s:%d", ip.DstIP, udp.DstPort)
	if x > y {
		x, y = y, x
	}
	return x + " " + y, true
}

// seen is what each socket of a group read: packets per conversation.
type seen struct {
	mu      sync.Mutex
	flows   []map[string]int
	other   int // packets that were not IPv4/UDP
	lengths []int
	closed  atomic.Bool // every reader has stopped
}

// readAll runs one reader per socket until the group is closed, recording what
// each saw; wait returns once all readers stopped, with their last errors.
func readAll(g *Group) (*seen, func() []error) {
	s := &seen{flows: make([]map[string]int, g.Len())}
	errs := make([]error, g.Len())
	var wg sync.WaitGroup
	for i := 0; i < g.Len(); i++ {
		s.flows[i] = map[string]int{}
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			var pkt pcapfile.Packet
			for {
				err := g.Socket(i).Next(&pkt)
				if errors.Is(err, ErrTimeout) {
					continue
				}
				if err != nil {
					errs[i] = err
					return
				}
				s.record(i, &pkt)
			}
		}(i)
	}
	return s, func() []error { wg.Wait(); s.closed.Store(true); return errs }
}

func (s *seen) record(i int, pkt *pcapfile.Packet) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.lengths = append(s.lengths, pkt.CI.CaptureLength)
	if k, ok := tuple(pkt.Data); ok {
		s.flows[i][k]++
	} else {
		s.other++
	}
}

func (s *seen) total() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := s.other
	for _, m := range s.flows {
		for _, c := range m {
			n += c
		}
	}
	return n
}

// waitFor polls cond every 20 ms until it holds or d passes.
func waitFor(d time.Duration, cond func() bool) bool {
	for end := time.Now().Add(d); time.Now().Before(end); time.Sleep(20 * time.Millisecond) {
		if cond() {
			return true
		}
	}
	return cond()
}
