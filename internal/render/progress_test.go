package render

import (
	"bytes"
	"io"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fakeClock is the injectable clock of the tests.
type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time          { return c.t }
func (c *fakeClock) advance(d time.Duration) { c.t = c.t.Add(d) }
func newFakeClock() *fakeClock               { return &fakeClock{t: time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)} }
func lines(b *bytes.Buffer) []string         { return strings.Split(b.String(), "\r")[1:] }
func progressOn(b *bytes.Buffer, total int64) (*Progress, *fakeClock) {
	c := newFakeClock()
	p := NewProgress(b, true, total)
	p.Now = c.now
	return p, c
}

func TestProgressRateLimit(t *testing.T) {
	var b bytes.Buffer
	p, clock := progressOn(&b, 0)
	p.Add(1) // the first event draws at once
	assert.Equal(t, []string{"read 1 events"}, lines(&b))
	for i := 0; i < 100; i++ {
		clock.advance(time.Millisecond)
		p.Add(10)
	}
	assert.Len(t, lines(&b), 1, "no redraw within 200 ms")
	clock.advance(99 * time.Millisecond) // 199 ms after the first draw
	p.Add(10)
	assert.Len(t, lines(&b), 1)
	clock.advance(time.Millisecond)
	p.Add(1188)
	assert.Equal(t, "read 2.2 k events", lines(&b)[1])
	// Five redraws a second at most, however many events.
	for i := 0; i < 1000; i++ {
		clock.advance(time.Millisecond)
		p.Add(1)
	}
	assert.Len(t, lines(&b), 2+5)

	p.Done()
	all := lines(&b)
	assert.Equal(t, "read 3.2 k events\n", all[len(all)-1], "Done draws the final count and ends the line")
	p.Done()
	clock.advance(time.Hour)
	p.Add(1)
	assert.Len(t, lines(&b), len(all), "nothing after Done")
}

func TestProgressBytesAndPadding(t *testing.T) {
	var b bytes.Buffer
	p, clock := progressOn(&b, 120_000_000)
	r := p.Reader(strings.NewReader(strings.Repeat("x", 999)))
	_, err := io.Copy(io.Discard, r)
	require.NoError(t, err)
	assert.Equal(t, "read 0 events (999 B of 120 MB, 0 %)", lines(&b)[0])

	p.bytes = 34_000_000
	clock.advance(time.Second)
	p.Add(999)
	assert.Equal(t, "read 999 events (34 MB of 120 MB, 28 %)", lines(&b)[1])
	clock.advance(time.Second)
	p.Add(8901)
	assert.Equal(t, "read 9.9 k events (34 MB of 120 MB, 28 %)", lines(&b)[2])
	clock.advance(time.Second)
	p.Add(100)
	// The new line is shorter: a space blanks the rest of the old one.
	assert.Equal(t, "read 10 k events (34 MB of 120 MB, 28 %) ", lines(&b)[3])
}

func TestProgressSilentWhenNotATerminal(t *testing.T) {
	var b bytes.Buffer
	p := NewProgress(&b, false, 100)
	p.Now = func() time.Time { t.Fatal("the clock is not read when nothing is drawn"); return time.Time{} }
	src := strings.NewReader("data")
	assert.Same(t, src, p.Reader(src))
	for i := 0; i < 1000; i++ {
		p.Add(1)
	}
	p.Done()
	assert.Zero(t, b.Len())
}

func TestProgressConcurrent(t *testing.T) {
	var b bytes.Buffer
	p, _ := progressOn(&b, 0)
	var clockMu sync.Mutex
	tick := newFakeClock()
	p.Now = func() time.Time {
		clockMu.Lock()
		defer clockMu.Unlock()
		tick.advance(time.Millisecond)
		return tick.now()
	}
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 1000; i++ {
				p.Add(1)
			}
		}()
	}
	wg.Wait()
	p.Done()
	all := lines(&b)
	assert.Equal(t, "read 8.0 k events\n", all[len(all)-1])
}

func TestSICount(t *testing.T) {
	for n, want := range map[int64]string{
		0: "0", 999: "999", 1000: "1.0 k", 1049: "1.0 k", 1050: "1.1 k", 9949: "9.9 k", 9950: "10 k",
		999_499: "999 k", 999_500: "1.0 M", 1_234_567: "1.2 M", 34_000_000: "34 M", 5e18: "5000 P",
	} {
		assert.Equal(t, want, siCount(n), "%d", n)
	}
}

func TestSIBytes(t *testing.T) {
	assert.Equal(t, "0 B", siBytes(0))
	assert.Equal(t, "999 B", siBytes(999))
	assert.Equal(t, "1.0 kB", siBytes(1000))
	assert.Equal(t, "120 MB", siBytes(120_000_000))
}

func TestIsTerminal(t *testing.T) {
	f, err := os.CreateTemp(t.TempDir(), "out")
	require.NoError(t, err)
	defer f.Close()
	assert.False(t, IsTerminal(f), "a regular file")
	r, w, err := os.Pipe()
	require.NoError(t, err)
	defer r.Close()
	defer w.Close()
	assert.False(t, IsTerminal(w), "a pipe")
	assert.False(t, IsTerminal(nil))
	closed, err := os.CreateTemp(t.TempDir(), "closed")
	require.NoError(t, err)
	require.NoError(t, closed.Close())
	assert.False(t, IsTerminal(closed), "Stat fails")
}
