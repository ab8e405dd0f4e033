package sensor

import (
	"os"
	"regexp"
	"testing"
)

// FuzzParseConfig feeds arbitrary YAML to the config loader, seeded with every
// YAML block of the README: it must return the config or an error, never
// panic, and a config it accepts must pass validation on its own.
func FuzzParseConfig(f *testing.F) {
	if readme, err := os.ReadFile("../README.md"); err == nil {
		for _, m := range regexp.MustCompile("(?s)```yaml\n(.*?)```").FindAllSubmatch(readme, -1) {
			f.Add(m[1])
		}
	}
	f.Add([]byte("workers: 2\ncapture:\n  flows:\n    max: 10\n"))
	f.Add([]byte("trusted_networks: [10.0.0.0/8]\nsite_timezone: Europe/Paris\n"))
	f.Add([]byte("outputs:\n  - url: udp://127.0.0.1:514\n    format: cef\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg := DefaultConfig()
		if err := ParseConfig(data, &cfg); err != nil {
			if err.Error() == "" {
				t.Fatal("an error without a message")
			}
			return
		}
		if err := validate(&cfg); err != nil {
			t.Fatalf("accepted a config that does not validate: %v", err)
		}
	})
}
