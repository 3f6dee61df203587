package render

import (
	"io"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/chatkpi/chatkpi"
)

// redrawEvery limits redraws of the progress line to five a second: often
// enough to look alive, rarely enough to cost nothing and not to flicker.
const redrawEvery = 200 * time.Millisecond

// Progress is the line the command keeps updated on standard error while it
// reads events: "read 1.2 M events (34 MB of 120 MB, 28 %)". On a terminal
// it redraws the line in place (carriage return) at most five times a
// second; otherwise it writes nothing at all, so redirected output and logs
// stay clean. Write errors are ignored: progress is a courtesy.
//
// Its methods may be called from several goroutines.
type Progress struct {
	// Now is the clock that paces redraws; NewProgress sets time.Now and
	// tests replace it before the first Add.
	Now func() time.Time

	w        io.Writer
	terminal bool
	total    int64

	mu            sync.Mutex
	events, bytes int64
	last          time.Time
	drawn, done   bool
	width         int // length of the last line drawn
}

// NewProgress returns a progress line on w, drawn only when isTerminal.
// total is the expected input size in bytes (a file's size), or 0 when it is
// unknown (standard input); when known the line shows the percentage read.
func NewProgress(w io.Writer, isTerminal bool, total int64) *Progress {
	return &Progress{Now: time.Now, w: w, terminal: isTerminal, total: max(total, 0)}
}

// Add counts n more events read.
func (p *Progress) Add(n int64) {
	if !p.terminal {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.events += n
	p.maybeDraw()
}

// Reader returns r counting the bytes read through it into the progress
// line; when the line is not drawn it returns r itself.
func (p *Progress) Reader(r io.Reader) io.Reader {
	if !p.terminal {
		return r
	}
	return &countingReader{p: p, r: r}
}

type countingReader struct {
	p *Progress
	r io.Reader
}

func (c *countingReader) Read(b []byte) (int, error) {
	n, err := c.r.Read(b)
	if n > 0 {
		c.p.mu.Lock()
		c.p.bytes += int64(n)
		c.p.maybeDraw()
		c.p.mu.Unlock()
	}
	return n, err
}

// Done draws the final count and ends the line, so that what the command
// prints next starts on a line of its own. Later calls do nothing.
func (p *Progress) Done() {
	if !p.terminal {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.done {
		return
	}
	p.draw()
	io.WriteString(p.w, "\n")
	p.done = true
}

// maybeDraw redraws when the last redraw is old enough; p.mu is held.
func (p *Progress) maybeDraw() {
	if p.done {
		return
	}
	now := p.Now()
	if p.drawn && now.Sub(p.last) < redrawEvery {
		return
	}
	p.last = now
	p.draw()
}

// draw writes the line over the previous one, blanking what a longer
// previous line left; p.mu is held.
func (p *Progress) draw() {
	line := "read " + siCount(p.events) + " events"
	if p.bytes > 0 || p.total > 0 {
		line += " (" + siBytes(p.bytes)
		if p.total > 0 {
			line += " of " + siBytes(p.total) + ", " + chatkpi.FormatFloat(100*float64(p.bytes)/float64(p.total), 0) + " %"
		}
		line += ")"
	}
	pad := max(p.width-len(line), 0)
	p.width = len(line)
	p.drawn = true
	io.WriteString(p.w, "\r"+line+strings.Repeat(" ", pad))
}

// siCount writes n with an SI prefix: "834", "12 k", "1.2 M"; one decimal
// below 10, none above; rounded half away from zero.
func siCount(n int64) string {
	if n < 1000 {
		return strconv.FormatInt(n, 10)
	}
	x := float64(n)
	for _, unit := range []string{"k", "M", "G", "T", "P"} {
		x /= 1000
		if x < 999.5 || unit == "P" {
			decimals := 0
			if x < 9.95 {
				decimals = 1
			}
			return chatkpi.FormatFloat(x, decimals) + " " + unit
		}
	}
	panic("unreachable")
}

// siBytes writes a size in bytes with an SI prefix: "999 B", "34 MB".
func siBytes(n int64) string {
	if n < 1000 {
		return siCount(n) + " B"
	}
	return siCount(n) + "B"
}

// IsTerminal reports whether f is a terminal, where the progress line is
// drawn. On Linux it asks the terminal driver (isTerminal, the TCGETS
// ioctl that isatty(3) makes), so /dev/null and other character devices
// that are not terminals get no line; elsewhere it takes any character
// device for one, without a terminal library.
func IsTerminal(f *os.File) bool {
	if f == nil {
		return false
	}
	fi, err := f.Stat()
	if err != nil || fi.Mode()&os.ModeCharDevice == 0 {
		return false
	}
	return isTerminal(f)
}
