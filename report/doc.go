// Package report renders what an analyst looks at: one self-contained HTML page
// (device inventory, communication map, alert timeline, volume charts against the
// learned baseline) for `labwatch replay --report`, the same page served live with
// /api/devices and /api/alerts as JSON for `labwatch run`, and the CSV and JSON
// inventory export of `labwatch inventory`.
//
// The page makes no network fetch: CSS and JavaScript are embedded in it, the map
// and the charts are inline SVG computed in Go, and a Content-Security-Policy
// forbids any other source. It shows only what the sensor already reports —
// addresses, names, roles, application identities, PHI kinds and alert summaries —
// never a patient value.
//
// Limits (config.go): devices drawn on the map, alerts kept by AlertLog, alerts and
// charts rendered; what is left out is counted on the page.
package report
