// Command labwatch is a passive sensor for hospital laboratory networks: it reads
// packets from an interface or from capture files, parses the clinical protocols,
// and reports devices, messages and alerts. See README.md.
package main

import (
	"fmt"
	"os"
	"time"

	"github.com/alecthomas/kong"
)

// commonFlags are shared by replay and run; they are the contract of DESIGN.md.
type commonFlags struct {
	Config       string        `help:"YAML configuration file (see README, Configuration)." type:"existingfile" placeholder:"FILE"`
	Learn        time.Duration `help:"Learning window in capture time, from the first packet (default 72h, or the config's learn)."`
	Baseline     string        `help:"Load learned state from FILE if present; save it at exit and periodically." placeholder:"FILE"`
	Adapt        bool          `help:"Keep volume profiles learning slowly after the learning window."`
	Alerts       string        `help:"Write alerts as JSON lines to PATH ('-' for stdout)." placeholder:"PATH"`
	Summary      string        `help:"Write the run summary as JSON to PATH at exit ('-' for stdout)." placeholder:"PATH"`
	Syslog       string        `help:"Send alerts to a syslog receiver: udp://, tcp:// or tls:// host:port." placeholder:"URL"`
	SyslogFormat string        `help:"Syslog payload format." enum:"rfc5424,rfc3164,cef,leef,json" default:"rfc5424"`
	Metrics      string        `help:"Serve Prometheus metrics (/metrics) and /healthz on ADDR, e.g. 127.0.0.1:9750." placeholder:"ADDR"`
	LogLevel     string        `help:"Log level." enum:"debug,info,warn,error" default:"info"`
	Sensor       string        `help:"Sensor id carried by every alert and metric (default: the config's sensor, else the host name)."`
	Evidence     string        `help:"Write the packets of each alert's flow (recent ones and those that follow) to DIR/<alert id>.pcap; owner-only, they hold patient data." placeholder:"DIR"`
	Rules        string        `help:"Rule file (rules, suppress, limit, threshold) added to the default rules; reloaded on SIGHUP." type:"existingfile" placeholder:"FILE"`
	Workers      int           `help:"Packet-processing workers; flows are sharded over them by addresses and ports (default 1, or the config's workers)."`
	// fanout is set by run when an AF_PACKET fanout capture feeds the
	// sensor's lanes.
	fanout bool
}

type replayCmd struct {
	commonFlags
	Progress    string   `help:"Progress bar on stderr: auto (when stderr is a terminal), always, never." enum:"auto,always,never" default:"auto"`
	Report      string   `help:"Write a self-contained HTML report (inventory, map, alert timeline, volume charts) to FILE at exit." placeholder:"FILE"`
	CPUProfile  string   `help:"Write a Go CPU profile of the replay to FILE (for performance work)." placeholder:"FILE"`
	MemProfile  string   `help:"Write a Go heap profile at the end of the replay to FILE." placeholder:"FILE"`
	LockProfile string   `help:"Write Go mutex and blocking profiles of the replay to FILE.mutex and FILE.block (where workers wait)." placeholder:"FILE"`
	Files       []string `arg:"" help:"pcap or pcapng files (optionally gzip-compressed); '-' reads standard input." name:"FILE"`
}

type runCmd struct {
	commonFlags
	captureFlags
	Interface string `short:"i" required:"" help:"Network interface to capture on (a SPAN/mirror port or tap)." placeholder:"IFACE"`
	BPF       string `help:"Capture filter in BPF syntax (tcpdump expressions)." placeholder:"EXPR"`
	Snaplen   int    `help:"Bytes captured per packet." default:"65535"`
	Promisc   bool   `help:"Put the interface in promiscuous mode (needed on most SPAN ports)." default:"true" negatable:""`
	User      string `help:"After opening the capture, switch to this unprivileged user (and set no_new_privs) before parsing any packet." placeholder:"NAME"`
}

var cli struct {
	Replay    replayCmd    `cmd:"" help:"Replay capture files through the sensor, driven by their timestamps."`
	Run       runCmd       `cmd:"" help:"Capture live from an interface."`
	Baseline  baselineCmd  `cmd:"" help:"Inspect learned baselines."`
	Rules     rulesCmd     `cmd:"" help:"Check rule files."`
	Inventory inventoryCmd `cmd:"" help:"Export the device inventory (CSV or JSON) from a summary file or a sensor's /api/devices, for CMDB import."`
	Verify    verifyCmd    `cmd:"" help:"Check the hash chain of an alert file: 'N alerts, chain intact', or the first broken line and why (exit 1)."`
}

func main() {
	parser, err := kong.New(&cli,
		kong.Name("labwatch"),
		kong.Description("Passive sensor for hospital laboratory networks (HL7, ASTM and device protocols)."),
		kong.UsageOnError(),
	)
	if err != nil {
		fmt.Fprintln(os.Stderr, "labwatch:", err)
		os.Exit(2)
	}
	ctx, err := parser.Parse(os.Args[1:])
	if err != nil {
		fmt.Fprintln(os.Stderr, "labwatch:", err)
		os.Exit(2)
	}
	if err := ctx.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "labwatch:", err)
		os.Exit(1)
	}
}
