package dicom

import (
	"testing"

	"labwatch/protocols/internal/prototest"
)

// BenchmarkStore measures a C-STORE of a 64 KiB image in 16 KiB PDUs, the
// steady state of a modality sending to a PACS.
func BenchmarkStore(b *testing.B) {
	setup := convStore().chunks[:2]
	ds := storeDataset()
	for len(ds) < 64<<10 {
		ds = append(ds[:len(ds)-2048-12], elemExplicit(0x7FE0, 0x0010, "OW", make([]byte, 64<<10))...)
	}
	pdus := splitPDUs(3, ds, 16<<10)
	pdus = append(pdus, pdata(pdv{3, pdvCommand | pdvLast, commandSet(0x0001, 2, uidCTStorage, -1, true)}))
	size := 0
	for _, p := range pdus {
		size += len(p)
	}
	em := &prototest.NullEmitter{}
	a := NewAnalyzer(newTestFlow(), em, nil)
	for _, ch := range setup {
		a.Data(ch.dir, ch.data, t0)
	}
	b.ReportAllocs()
	b.SetBytes(int64(size))
	for b.Loop() {
		for _, p := range pdus {
			for off := 0; off < len(p); off += 1460 { // as TCP segments
				a.Data(c2s, p[off:min(off+1460, len(p))], t0)
			}
		}
	}
	if em.Anoms != 0 {
		b.Fatalf("%d anomalies", em.Anoms)
	}
}

// BenchmarkAssociate measures parsing the A-ASSOCIATE-RQ/AC pair.
func BenchmarkAssociate(b *testing.B) {
	c := convStore().chunks[:2]
	em := &prototest.NullEmitter{}
	b.ReportAllocs()
	b.SetBytes(int64(len(c[0].data) + len(c[1].data)))
	for b.Loop() {
		a := NewAnalyzer(newTestFlow(), em, nil)
		a.Data(c[0].dir, c[0].data, t0)
		a.Data(c[1].dir, c[1].data, t0)
	}
}
