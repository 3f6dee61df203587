// Package cpuclock reads the CPU time of the process, for the benchmarks
// of the module that report CPU time besides wall time.
package cpuclock
