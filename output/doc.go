// Package output delivers what the sensor produces: alerts as JSON lines, and the
// run summary as JSON and as a short human report. (Syslog delivery to a SIEM lives
// here too as it grows.)
package output
