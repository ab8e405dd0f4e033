// Package prototest holds the test helpers every protocol package needs: a
// recording app.Emitter, golden files rewritten with -update, random
// segmentation of one or both directions, probe tables and planted-value
// checks. It is imported only from _test.go files.
package prototest
