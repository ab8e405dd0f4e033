package gen

import (
	"time"

	"labwatch/protocols/app"
)

// writePacket serializes p and writes its frame, or its fragments.
func (g *generator) writePacket(f *flow, p *pkt) error {
	g.lastTS = p.ts
	ts := time.UnixMicro(p.ts).UTC()
	if f.transport == app.UDP {
		frame, err := g.fr.udpFrame(f, p)
		if err != nil {
			return err
		}
		return g.emit(ts, frame)
	}
	if p.frag && !f.spec.v6 {
		lastFirst := g.fragSeq%2 == 0
		g.fragSeq++
		if lastFirst {
			g.truth.Events["fragment_out_of_order"]++
		}
		frames, err := g.fr.tcpFragments(f, p, lastFirst)
		if err != nil {
			return err
		}
		for _, fr := range frames {
			if err := g.emit(ts, fr); err != nil {
				return err
			}
		}
		return nil
	}
	frame, err := g.fr.tcpFrame(f, p)
	if err != nil {
		return err
	}
	return g.emit(ts, frame)
}

func (g *generator) emit(ts time.Time, frame []byte) error {
	if err := g.out.write(ts, frame); err != nil {
		return err
	}
	if g.truth.Packets == 0 {
		g.truth.First = ts
	}
	g.truth.Last = ts
	g.truth.Packets++
	g.truth.Bytes += len(frame)
	return nil
}
