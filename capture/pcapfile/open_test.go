package pcapfile

import (
	"encoding/binary"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gopacket/gopacket/layers"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestOpenErrors(t *testing.T) {
	good := pcapgoBytes(t, false, layers.LinkTypeEthernet, makePackets(3, t0, time.Second, 1))
	badVersion := append([]byte(nil), good...)
	binary.LittleEndian.PutUint16(badVersion[4:], 3)
	var badOrder ngBuilder
	badOrder.section()
	copy(badOrder.Bytes()[8:12], []byte{1, 2, 3, 4})

	cases := []struct {
		name   string
		data   []byte // written to a file called name; nil means no file
		reason string // the whole message after "pcapfile: <path>: "
	}{
		{"missing.pcap", nil, "no such file"},
		{"empty.pcap", []byte{}, "empty file"},
		{"short.pcap", []byte{0xd4, 0xc3, 0xb2}, "too short to be a capture (3 bytes)"},
		// Plain text, hexdump: 48 65 6c 6c 6f 2c 20 ...  "Hello, ..."
		{"garbage.pcap", []byte("Hello, this is not a capture at all"), "not a pcap or pcapng file (magic 0x48656c6c)"},
		{"modified.pcap", []byte{0x34, 0xcd, 0xb2, 0xa1, 0, 0, 0, 0}, "modified (Kuznetsov) pcap format is not supported; convert it with editcap"},
		{"cut-header.pcap", good[:10], "capture ends inside a record (10 of 24 bytes)"},
		{"version.pcap", badVersion, "bad file header: Unknown major version 3"},
		{"bad-order.pcapng", badOrder.Bytes(), "section header has a bad byte-order magic 0x01020304"},
		{"empty.gz", gzipBytes(t, nil), "empty file after gzip decompression"},
		{"text.gz", gzipBytes(t, []byte("not a capture, only text")), "not a pcap or pcapng file (magic 0x6e6f7420)"},
		// 1f 8b, compression method 0x99 (only 8, deflate, exists), flags, mtime, xfl, os.
		{"broken.gz", []byte{0x1f, 0x8b, 0x99, 0, 0, 0, 0, 0, 0, 0xff}, "bad gzip header: gzip: invalid header"},
		{"cut.gz", []byte{0x1f, 0x8b, 0x08, 0}, "gzip header cut short"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), tc.name)
			if tc.data != nil {
				require.NoError(t, os.WriteFile(path, tc.data, 0o600))
			}
			good := writeTemp(t, "good.pcap", good)
			r, err := Open([]string{good, path})
			require.Error(t, err)
			assert.Nil(t, r)
			assert.Equal(t, "pcapfile: "+path+": "+tc.reason, err.Error())
			var oe *OpenError
			require.ErrorAs(t, err, &oe)
			assert.Equal(t, path, oe.File)
		})
	}
}

func TestOpenMissingFileUnwraps(t *testing.T) {
	_, err := Open([]string{filepath.Join(t.TempDir(), "nope.pcap")})
	assert.ErrorIs(t, err, fs.ErrNotExist)
}

func TestOpenPermissionDenied(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root reads any file")
	}
	path := writeTemp(t, "locked.pcap", pcapgoBytes(t, false, layers.LinkTypeEthernet, nil))
	require.NoError(t, os.Chmod(path, 0))
	_, err := Open([]string{path})
	require.ErrorIs(t, err, fs.ErrPermission)
	assert.Equal(t, "pcapfile: "+path+": permission denied", err.Error())
}

func TestOpenDirectory(t *testing.T) {
	dir := t.TempDir()
	_, err := Open([]string{dir})
	require.Error(t, err)
	assert.Equal(t, "pcapfile: "+dir+": is a directory, not a capture file", err.Error())
}

func TestOpenArguments(t *testing.T) {
	_, err := Open(nil)
	assert.EqualError(t, err, "pcapfile: no capture files given")

	_, err = Open([]string{"-", "x.pcap", "-"})
	assert.EqualError(t, err, `pcapfile: stdin: "-" given 2 times; standard input can be read once`)

	_, err = Open(make([]string, MaxFiles+1))
	require.Error(t, err)
	assert.True(t, strings.Contains(err.Error(), "at most 1024"), err.Error())
}
