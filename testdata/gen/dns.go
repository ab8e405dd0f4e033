package gen

import (
	"net"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// dnsName is a name the lab resolves; addr nil means the server answers NXDOMAIN.
type dnsName struct {
	name string
	addr []net.IP
}

func labDNSNames(t *topology) []dnsName {
	names := []dnsName{
		{"lis.lab.example.org", []net.IP{t.lis.ip4}},
		{"ie.lab.example.org", []net.IP{t.engine.ip4}},
		{"reflab.example.net", []net.IP{t.outside.ip4}},
		{"results.reflab.example.net", []net.IP{t.outside.ip4}},
		{"wpad.lab.example.org", nil},
	}
	for _, p := range t.printers {
		names = append(names, dnsName{p.name + ".lab.example.org", []net.IP{p.ip4}})
	}
	// A round-robin name with two answers.
	names = append(names, dnsName{"ntp.lab.example.org", []net.IP{t.dns.ip4, t.lis.ip4}})
	return names
}

// dnsBuilder serializes DNS messages with one reused layer and buffer.
type dnsBuilder struct {
	msg layers.DNS
	buf gopacket.SerializeBuffer
}

func newDNSBuilder() *dnsBuilder { return &dnsBuilder{buf: gopacket.NewSerializeBuffer()} }

// query returns a standard recursive A query; the bytes are valid until the next call.
func (d *dnsBuilder) query(id uint16, name string) ([]byte, error) {
	d.msg = layers.DNS{
		ID: id, RD: true, OpCode: layers.DNSOpCodeQuery,
		Questions: []layers.DNSQuestion{{Name: []byte(name), Type: layers.DNSTypeA, Class: layers.DNSClassIN}},
	}
	return d.serialize()
}

// response answers query id for n; the bytes are valid until the next call.
func (d *dnsBuilder) response(id uint16, n dnsName) ([]byte, error) {
	d.msg = layers.DNS{
		ID: id, QR: true, AA: true, RD: true, RA: true, OpCode: layers.DNSOpCodeQuery,
		Questions: []layers.DNSQuestion{{Name: []byte(n.name), Type: layers.DNSTypeA, Class: layers.DNSClassIN}},
	}
	if n.addr == nil {
		d.msg.ResponseCode = layers.DNSResponseCodeNXDomain
	}
	for _, ip := range n.addr {
		d.msg.Answers = append(d.msg.Answers, layers.DNSResourceRecord{
			Name: []byte(n.name), Type: layers.DNSTypeA, Class: layers.DNSClassIN, TTL: 300, IP: ip,
		})
	}
	return d.serialize()
}

func (d *dnsBuilder) serialize() ([]byte, error) {
	if err := d.buf.Clear(); err != nil {
		return nil, err
	}
	if err := d.msg.SerializeTo(d.buf, gopacket.SerializeOptions{FixLengths: true}); err != nil {
		return nil, err
	}
	return d.buf.Bytes(), nil
}
