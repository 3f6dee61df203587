package bench

import (
	"testing"
	"time"

	"github.com/chatkpi/chatkpi/internal/cpuclock"
)

// cpuClock adds up the CPU time of the process (every thread: the
// benchmark's goroutine and the garbage collector's workers) while it runs.
// On a shared machine the wall time of a benchmark depends on the other
// processes; its CPU time much less, so the report benchmarks report both
// (cpu-ns/op next to sec/op).
type cpuClock struct {
	sum, from time.Duration
	running   bool
}

func (c *cpuClock) start() {
	c.from, c.running = cpuclock.Process(), true
}

func (c *cpuClock) stop() {
	if c.running {
		c.sum += cpuclock.Process() - c.from
		c.running = false
	}
}

// report stops the clock and reports its CPU time per iteration, when the
// platform measures it.
func (c *cpuClock) report(b *testing.B) {
	c.stop()
	if c.sum > 0 {
		b.ReportMetric(float64(c.sum.Nanoseconds())/float64(b.N), "cpu-ns/op")
	}
}
