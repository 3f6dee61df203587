//go:build race

package chatkpi

// raceEnabled: the race detector is on (its shadow memory faults pages too).
const raceEnabled = true
