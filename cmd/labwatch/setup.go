package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/rs/zerolog"
	"golang.org/x/term"

	"labwatch/detect"
	"labwatch/output"
	"labwatch/report"
	"labwatch/sensor"
)

// pipeline is what both commands set up around a sensor.
type pipeline struct {
	log     zerolog.Logger
	flags   *commonFlags // to read the config again on SIGHUP
	cfg     sensor.Config
	sensor  *sensor.Sensor
	sinks   output.Multi // the alert file and the syslog receivers
	recent  *report.AlertLog
	metrics *http.Server
}

// recentAlerts bounds the alerts kept in memory for the report and live view.
const recentAlerts = 10000

func newLogger(level string) zerolog.Logger {
	lvl, err := zerolog.ParseLevel(level)
	if err != nil {
		lvl = zerolog.InfoLevel
	}
	var w = zerolog.New(os.Stderr)
	if term.IsTerminal(int(os.Stderr.Fd())) {
		w = zerolog.New(zerolog.ConsoleWriter{Out: os.Stderr, TimeFormat: time.TimeOnly})
	}
	return w.Level(lvl).With().Timestamp().Logger()
}

// config loads the config file and applies the flags over it. setup calls it,
// and SIGHUP calls it again to reload.
func (f *commonFlags) config() (sensor.Config, error) {
	cfg := sensor.DefaultConfig()
	if f.Config != "" {
		loaded, err := sensor.LoadConfig(f.Config)
		if err != nil {
			return cfg, err
		}
		cfg = loaded
	}
	if f.Learn > 0 {
		cfg.Detect.Learn = f.Learn
	}
	if f.Adapt {
		cfg.Detect.Adapt = true
	}
	if f.Syslog != "" {
		cfg.Outputs = append(cfg.Outputs, output.SyslogConfig{Name: "syslog", URL: f.Syslog, Format: f.SyslogFormat})
	}
	if f.Workers > 0 {
		cfg.Workers = min(f.Workers, 64)
	}
	cfg.Fanout = f.fanout
	if f.Rules != "" {
		cfg.RulesFile = f.Rules
	}
	if f.Evidence != "" {
		cfg.Capture.Evidence.Dir = f.Evidence
	}
	if f.Sensor != "" {
		cfg.Detect.Sensor = f.Sensor
	} else if f.Config == "" {
		if host, err := os.Hostname(); err == nil {
			cfg.Detect.Sensor = host
		}
	}
	if f.Baseline != "" {
		cfg.BaselineFile = f.Baseline
	}
	// The alert chain's head lives next to the baseline, else next to the
	// alert file, so that a restart continues the chain.
	if f.Alerts != "" && f.Alerts != "-" {
		cfg.AlertsFile = f.Alerts
	}
	switch {
	case cfg.BaselineFile != "":
		cfg.TrailHead = cfg.BaselineFile + ".trail"
	case cfg.AlertsFile != "":
		cfg.TrailHead = cfg.AlertsFile + ".trail"
	}
	return cfg, nil
}

// setup loads the config, applies flags over it, and opens the outputs.
func (f *commonFlags) setup() (*pipeline, error) {
	cfg, err := f.config()
	if err != nil {
		return nil, err
	}
	p := &pipeline{log: newLogger(f.LogLevel), cfg: cfg, flags: f}
	var alertFile *output.JSONLines
	if f.Alerts != "" {
		j, err := output.OpenJSONLines(f.Alerts)
		if err != nil {
			return nil, err
		}
		j.SetLogger(p.log)
		alertFile = j
		p.sinks = append(p.sinks, j)
	}
	syslogs, err := output.OpenSyslogs(p.cfg.Outputs, p.log)
	if err != nil {
		_ = p.sinks.Close()
		return nil, err
	}
	for _, o := range syslogs {
		p.sinks = append(p.sinks, o)
	}
	p.recent = report.NewAlertLog(recentAlerts)
	s, err := sensor.New(p.cfg, func(a *detect.Alert) {
		p.sinks.Write(a)
		p.recent.Add(a)
	})
	if err != nil {
		_ = p.sinks.Close()
		return nil, err
	}
	s.SetOutputs(syslogs)
	if alertFile != nil {
		s.SetAlertFile(alertFile)
	}
	p.sensor = s
	if s.BaselineWarning != nil {
		p.log.Warn().Err(s.BaselineWarning).Msg("baseline not loaded: starting with a fresh baseline")
	}
	if s.ChainWarning != nil {
		p.log.Warn().Err(s.ChainWarning).Msg("alert chain not resumed: it starts anew")
	}
	return p, nil
}

// serveMetrics starts the metrics endpoint when --metrics is set.
func (p *pipeline) serveMetrics(addr string) error {
	if addr == "" {
		return nil
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if err := p.sensor.RegisterMetrics(prometheus.WrapRegistererWith(prometheus.Labels{"sensor": p.cfg.Detect.Sensor}, reg)); err != nil {
		return fmt.Errorf("metrics: %w", err)
	}
	mux := http.NewServeMux()
	mux.Handle("/metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		_, _ = w.Write([]byte("ok\n"))
	})
	web := p.cfg.Web
	live := report.Handler(func() *report.Data { return p.sensor.Report(p.recent) },
		report.AuthConfig{User: web.User, PasswordSHA256: web.PasswordSHA256, Realm: "labwatch"},
		report.Config{Refresh: 30})
	mux.Handle("/", live)
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("--metrics %s: %w", addr, err)
	}
	p.metrics = &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	if web.TLSCert != "" {
		tc, err := report.TLSConfig(web.TLSCert, web.TLSKey, web.ClientCA)
		if err != nil {
			ln.Close()
			return fmt.Errorf("web: %w", err)
		}
		p.metrics.TLSConfig = tc
		go func() { _ = p.metrics.ServeTLS(ln, "", "") }()
	} else {
		go func() { _ = p.metrics.Serve(ln) }()
	}
	p.log.Info().Str("addr", ln.Addr().String()).Msg("serving metrics")
	return nil
}

// finish flushes analyzers and outputs, then writes the summary.
func (p *pipeline) finish(summaryPath string) error {
	var errs []error
	if err := p.sensor.Close(); err != nil {
		errs = append(errs, fmt.Errorf("baseline: %w", err))
	}
	if err := p.sinks.Close(); err != nil {
		errs = append(errs, err)
	}
	s := p.sensor.Summary()
	if summaryPath != "" {
		if err := output.WriteSummary(summaryPath, s); err != nil {
			errs = append(errs, err)
		}
	}
	output.PrintHuman(os.Stderr, s)
	if p.metrics != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		_ = p.metrics.Shutdown(ctx)
		cancel()
	}
	return errors.Join(errs...)
}

// stopOnSignal sets the returned flag on the first SIGINT or SIGTERM so that the
// packet loop ends cleanly (analyzers flushed, outputs flushed, summary written); a
// second signal exits at once. release stops listening.
func (p *pipeline) stopOnSignal() (stop *atomic.Bool, release func()) {
	stop = new(atomic.Bool)
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP)
	p.log.Debug().Msg("signals: SIGINT or SIGTERM stops and flushes, SIGHUP reloads the config and rules")
	go func() {
		for s := range sigs {
			if s == syscall.SIGHUP {
				p.hangup()
				continue
			}
			if stop.Load() {
				p.log.Error().Str("signal", s.String()).Msg("second signal: exiting without flushing")
				os.Exit(130)
			}
			p.log.Info().Str("signal", s.String()).Msg("stopping: flushing outputs and writing the summary")
			stop.Store(true)
		}
	}()
	return stop, func() { signal.Stop(sigs); close(sigs) }
}

// hangup reads the config file and the rule file again (keeping the running
// ones if a new file is bad) and reopens the alert file for logrotate. Learned
// state is untouched.
func (p *pipeline) hangup() {
	if err := p.reload(); err != nil {
		p.log.Error().Err(err).Msg("SIGHUP: not reloaded; the running configuration and rules stay")
	}
	if err := p.sinks.Reopen(); err != nil {
		p.log.Error().Err(err).Msg("SIGHUP: alert file not reopened")
	}
}

// reload applies the config file again (when there is one) and the rules.
func (p *pipeline) reload() error {
	if p.flags.Config == "" {
		if err := p.sensor.ReloadRules(); err != nil {
			return err
		}
		p.log.Info().Str("rules", p.cfg.RulesFile).Msg("SIGHUP: rules reloaded")
		return nil
	}
	cfg, err := p.flags.config()
	if err != nil {
		return err
	}
	needRestart, err := p.sensor.Reload(cfg)
	if len(needRestart) > 0 {
		p.log.Warn().Strs("sections", needRestart).Msg("SIGHUP: changed sections that only take effect after a restart")
	}
	if err != nil {
		p.log.Error().Err(err).Msg("SIGHUP: rule file not reloaded; the running rules stay")
		return nil // the rest of the config was applied
	}
	p.log.Info().Str("config", p.flags.Config).Str("rules", cfg.RulesFile).Msg("SIGHUP: configuration and rules reloaded")
	return nil
}
