package chatkpi

import (
	"syscall"
	"testing"
)

// minorFaults returns the process's page faults served without I/O.
func minorFaults(t *testing.T) int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		t.Fatal(err)
	}
	return int64(ru.Minflt) // int32 on 386
}

// A table just made and touched faults once per page when it is then read
// and written slot by slot, as customerIDs probes and fills it; untouched,
// twice (the shared zero page on the read, a page of its own on the write).
func TestTouchPagesFaultsOnce(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector's shadow memory faults pages of its own")
	}
	const size = 64 << 20 / 16 // 64 MiB of slots: fresh from the system
	pages := int64(size * 16 / pageBytes)
	var untouched int64
	for _, touch := range []bool{false, true} {
		s := make([]idSlot, size)
		before := minorFaults(t)
		if touch {
			touchPages(s)
		}
		for i := range s {
			if s[i].meta == 0 {
				s[i].meta = uint64(i) + 1
			}
		}
		faults := minorFaults(t) - before
		t.Logf("touch %v: %d faults for %d pages", touch, faults, pages)
		switch {
		case !touch && faults < pages/2:
			t.Skipf("%d faults for %d pages: the memory was not fresh from the system", faults, pages)
		case !touch:
			untouched = faults
		case untouched-faults < pages/2:
			t.Fatalf("touched: %d faults for %d pages, untouched %d", faults, pages, untouched)
		}
	}
}
