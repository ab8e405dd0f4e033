package ssh

import (
	"math/rand/v2"
	"net/netip"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"labwatch/protocols/app"
	"labwatch/protocols/internal/prototest"
)

func flow() *app.Flow {
	return &app.Flow{Transport: app.TCP, Client: netip.MustParseAddrPort("10.40.1.10:50000"),
		Server: netip.MustParseAddrPort("10.40.2.12:22")}
}

var t0 = time.Unix(1700000000, 0)

func TestBannersBothDirections(t *testing.T) {
	cases := []struct {
		name            string
		server, client  string
		software, proto [2]string
		insecure        [2]string
		wantEncrypted   bool
	}{
		{"openssh", "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u2\r\n", "SSH-2.0-PuTTY_Release_0.79\r\n",
			[2]string{"PuTTY_Release_0.79", "OpenSSH_9.2p1"}, [2]string{"2.0", "2.0"}, [2]string{"", ""}, true},
		{"protocol 1.99 offers v1", "SSH-1.99-Cisco-1.25\r\n", "SSH-2.0-OpenSSH_8.0\n",
			[2]string{"OpenSSH_8.0", "Cisco-1.25"}, [2]string{"2.0", "1.99"}, [2]string{"", "ssh1"}, true},
		{"pre-banner lines from the server", "Welcome to the LIS jump host\r\nAuthorized use only\r\nSSH-2.0-dropbear_2022.83\r\n",
			"SSH-2.0-libssh_0.10.4\r\n", [2]string{"libssh_0.10.4", "dropbear_2022.83"}, [2]string{"2.0", "2.0"}, [2]string{"", ""}, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var rec prototest.Recorder
			f := flow()
			a := NewAnalyzer(f, &rec, nil)
			a.Data(app.ServerToClient, []byte(c.server), t0)
			a.Data(app.ClientToServer, []byte(c.client), t0)
			require.Len(t, rec.Msgs, 2, rec.Dump())
			for _, m := range rec.Msgs {
				assert.Equal(t, "banner", m.Type)
				assert.Equal(t, c.software[m.Dir], m.Software)
				assert.Equal(t, c.proto[m.Dir], m.Attrs["proto"])
				assert.Equal(t, c.insecure[m.Dir], m.Attrs["insecure"])
			}
			assert.Equal(t, c.wantEncrypted, f.Encrypted)
			assert.Empty(t, rec.Anoms)
		})
	}
}

func TestBannerSplitAcrossSegments(t *testing.T) {
	banner := []byte("SSH-2.0-OpenSSH_9.2p1\r\n")
	for cut := 1; cut < len(banner); cut++ {
		var rec prototest.Recorder
		a := NewAnalyzer(flow(), &rec, nil)
		a.Data(app.ServerToClient, banner[:cut], t0)
		a.Data(app.ServerToClient, banner[cut:], t0)
		require.Len(t, rec.Msgs, 1, "cut at %d", cut)
		assert.Equal(t, "OpenSSH_9.2p1", rec.Msgs[0].Software)
	}
}

func TestNotSSH(t *testing.T) {
	var rec prototest.Recorder
	a := NewAnalyzer(flow(), &rec, nil)
	a.Data(app.ClientToServer, []byte("GET / HTTP/1.1\r\n"), t0)
	long := make([]byte, 300)
	for i := range long {
		long[i] = 'x'
	}
	a.Data(app.ServerToClient, long, t0)
	assert.Empty(t, rec.Msgs)
	assert.Equal(t, []string{ReasonBadBanner, ReasonBadBanner, ReasonGaveUp}, rec.Reasons())
	a.Data(app.ClientToServer, []byte("SSH-2.0-late\r\n"), t0)
	assert.Empty(t, rec.Msgs, "a failed direction stays ignored")
}

func TestProbe(t *testing.T) {
	assert.Equal(t, app.Match, Probe([]byte("SSH-2.0-x")))
	assert.Equal(t, app.NeedMore, Probe([]byte("SS")))
	assert.Equal(t, app.NoMatch, Probe([]byte("HTTP/1.1 200")))
	assert.Equal(t, app.NoMatch, Probe([]byte("XY")))
}

func FuzzAnalyzer(f *testing.F) {
	f.Add([]byte("SSH-2.0-OpenSSH_9.2p1\r\n"), []byte("SSH-1.99-x y\n"), uint64(1))
	f.Add([]byte("banner\r\nSSH-2.0-x\r\n"), []byte(""), uint64(2))
	f.Fuzz(func(t *testing.T, c2s, s2c []byte, seed uint64) {
		var rec prototest.Recorder
		a := NewAnalyzer(flow(), &rec, nil)
		rng := rand.New(rand.NewPCG(seed, seed))
		prototest.Interleave(rng, [2][]byte{c2s, s2c}, prototest.UpTo(rng, 64), func(d app.Direction, b []byte) {
			a.Data(d, b, t0)
		})
		a.Expire()
		if len(rec.Msgs) > 2 {
			t.Fatalf("%d banners", len(rec.Msgs))
		}
		for _, m := range rec.Msgs {
			if len(m.Software) > 64 {
				t.Fatal("unbounded software string")
			}
		}
	})
}

func BenchmarkBanners(b *testing.B) {
	s, c := []byte("SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n"), []byte("SSH-2.0-PuTTY_0.79\r\n")
	b.ReportAllocs()
	b.SetBytes(int64(len(s) + len(c)))
	for b.Loop() {
		a := NewAnalyzer(flow(), &prototest.NullEmitter{}, nil)
		a.Data(app.ServerToClient, s, t0)
		a.Data(app.ClientToServer, c, t0)
	}
}
