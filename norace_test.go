//go:build !race

package chatkpi

const raceEnabled = false
