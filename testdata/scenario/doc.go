// Package scenario generates a synthetic lab network at the level of detection
// events — flow starts and ends, application messages, protocol anomalies — with
// ground truth, to measure detection without packets.
//
// A scenario is several days of normal traffic for about thirty devices (an LIS,
// an interface engine, HL7 and ASTM analyzers, POCT devices, workstations, a
// label printer, DNS), with a daily rhythm, Poisson noise and quieter weekends,
// followed by injected anomalies of every alert type (listed in Truth) and benign
// novelty that must not alarm (fresh ephemeral ports, reconnect storms, normal
// peaks). Every value is generated from a seed: the same seed gives the same
// events. Patient identifiers are reported as kinds only, as the parsers do.
package scenario
