package report

import (
	"bufio"
	"embed"
	"fmt"
	"html/template"
	"io"
)

//go:embed assets/report.html.tmpl assets/report.css assets/report.js
var assets embed.FS

// pageTemplate is parsed once; CSS and JavaScript are inlined into every page
// so that the file works offline and fetches nothing.
var pageTemplate = template.Must(template.New("report.html.tmpl").Funcs(template.FuncMap{
	"css": func() template.CSS { return template.CSS(mustAsset("assets/report.css")) },
	"js":  func() template.JS { return template.JS(mustAsset("assets/report.js")) },
}).ParseFS(assets, "assets/report.html.tmpl"))

func mustAsset(name string) string {
	b, err := assets.ReadFile(name)
	if err != nil {
		panic("report: missing embedded " + name) // a build defect, caught by every test
	}
	return string(b)
}

// WriteHTML renders d as one self-contained HTML page with the default limits.
func WriteHTML(w io.Writer, d *Data) error {
	return WriteHTMLConfig(w, d, DefaultConfig())
}

// WriteHTMLConfig renders d with the given limits.
func WriteHTMLConfig(w io.Writer, d *Data, cfg Config) error {
	if d == nil {
		d = &Data{}
	}
	bw := bufio.NewWriter(w)
	if err := pageTemplate.Execute(bw, buildPage(d, cfg.withDefaults())); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	return nil
}
