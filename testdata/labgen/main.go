// Command labgen writes a deterministic synthetic capture of a hospital lab
// network (HL7/MLLP, ASTM, ZPL, TLS, DNS, with impairments) and prints what it
// holds as JSON.
//
//	go run ./testdata/labgen -profile demo -o testdata/pcap/demo.pcapng
//	go run ./testdata/labgen -profile bench -o /tmp/bench.pcap
//	go run ./testdata/labgen -profile bench -packets 10000000 -concurrent 10000 -o /tmp/flat.pcap
//
// The output is pcapng when -pcapng is given or the file name ends in .pcapng.
// The JSON carries counts only, never the fictional patient values.
package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"labwatch/testdata/gen"
)

func main() {
	err := run(os.Args[1:], os.Stdout)
	if errors.Is(err, flag.ErrHelp) {
		return
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "labgen:", err)
		os.Exit(1)
	}
}

func run(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("labgen", flag.ContinueOnError)
	profile := fs.String("profile", "demo", "traffic profile: demo or bench")
	out := fs.String("o", "", "output capture file (required)")
	seed := fs.Uint64("seed", 0, "random seed (0 keeps the profile's seed)")
	pcapng := fs.Bool("pcapng", false, "write pcapng instead of pcap")
	link := fs.String("link", "", "link type: ethernet, sll, sll2 or raw (default ethernet)")
	packets := fs.Int("packets", 0, "packet target, overriding the profile's")
	concurrent := fs.Int("concurrent", 0, "TCP/UDP flows kept open at once, overriding the profile's")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *out == "" || fs.NArg() > 0 {
		return errors.New("usage: labgen -profile demo|bench -o FILE [-seed N] [-pcapng] [-link TYPE] [-packets N] [-concurrent N]")
	}
	o, err := gen.Profile(*profile)
	if err != nil {
		return err
	}
	if *seed != 0 {
		o.Seed = *seed
	}
	if *packets != 0 {
		o.TargetPackets = *packets
	}
	if *concurrent != 0 {
		o.ConcurrentFlows = *concurrent
	}
	o.Link = gen.LinkType(*link)
	o.PcapNG = *pcapng || strings.HasSuffix(*out, ".pcapng")
	if err := o.Validate(); err != nil {
		return err
	}

	f, err := os.Create(*out)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 4<<20)
	truth, err := gen.Generate(o, w)
	if err == nil {
		err = w.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(truth.Summary())
}
