package afpacket

import (
	"fmt"

	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcap"
	"golang.org/x/net/bpf"
)

// compileFilter compiles a tcpdump expression for Ethernet frames. An empty
// expression compiles to "accept snaplen bytes", which is how the snap length is
// enforced on these sockets: the kernel keeps what the filter returns.
func compileFilter(expr string, snaplen int) ([]bpf.RawInstruction, error) {
	prog, err := pcap.CompileBPFFilter(layers.LinkTypeEthernet, snaplen, expr)
	if err != nil {
		return nil, fmt.Errorf("afpacket: bad --bpf filter %q: %v", expr, err)
	}
	raw := make([]bpf.RawInstruction, len(prog))
	for i, in := range prog {
		raw[i] = bpf.RawInstruction{Op: in.Code, Jt: in.Jt, Jf: in.Jf, K: in.K}
	}
	return raw, nil
}
