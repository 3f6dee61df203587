package chatkpi_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/chatkpi/chatkpi"
)

// FuzzAssemblerUnmarshal: any input decodes without panicking or is
// rejected with ErrInvalid; what decodes re-encodes stably,
// merges into an empty assembler and drains into a report.
func FuzzAssemblerUnmarshal(f *testing.F) {
	var a chatkpi.Assembler
	_ = a.Add(t0, chatkpi.Info{ID: "c", Channel: "chat", Dims: map[string]string{"g": "A"}},
		chatkpi.Event{Time: at(0), Type: chatkpi.Message, Role: chatkpi.Customer, ID: "1"})
	_ = a.Add(t0, chatkpi.Info{ID: "c"}, chatkpi.Event{Time: at(time.Second), Type: chatkpi.Goal, Role: chatkpi.Customer, ID: "2"})
	_ = a.Add(t0, chatkpi.Info{ID: "d"}, chatkpi.Event{Time: at(0), Type: chatkpi.Resolved, Role: chatkpi.Agent, ID: "x"})
	_ = a.Close(t0, "d")
	r, _ := chatkpi.NewReport(chatkpi.ReportSettings{})
	_ = a.Advance(t0, r)
	b, _ := a.MarshalBinary()
	f.Add(b)
	var empty chatkpi.Assembler
	b, _ = empty.MarshalBinary()
	f.Add(b)
	f.Fuzz(func(t *testing.T, data []byte) {
		var a chatkpi.Assembler
		if err := a.UnmarshalBinary(data); err != nil {
			if !isInvalid(err) {
				t.Fatalf("error does not wrap ErrInvalid: %v", err)
			}
			return
		}
		// Varints may be overlong in the input; from the first re-encoding
		// on, the encoding is a fixed point.
		once, err := a.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		var b chatkpi.Assembler
		if err := b.UnmarshalBinary(once); err != nil {
			t.Fatalf("a re-encoding does not decode: %v", err)
		}
		if twice, _ := b.MarshalBinary(); string(twice) != string(once) {
			t.Fatalf("re-encoding differs:\n%x\n%x", once, twice)
		}
		m, err := chatkpi.NewAssembler(a.Settings())
		if err != nil {
			t.Fatal(err)
		}
		if err := m.Merge(&a); err != nil {
			t.Fatal(err)
		}
		r, _ := chatkpi.NewReport(chatkpi.ReportSettings{})
		_ = m.Drain(r) // the report may reject what the assembler holds
	})
}

// FuzzAssemblerAdd: a sequence of events, closes, advances and
// checkpoints read from the input never panics, every Add either records,
// drops a duplicate or returns ErrInvalid, and a checkpoint changes
// nothing.
func FuzzAssemblerAdd(f *testing.F) {
	f.Add([]byte{0, 1, 1, 5, 0, 0, 1, 4, 2, 3, 1, 1, 1, 5, 0, 200, 3, 0, 0})
	f.Add([]byte{0, 0, 9, 9, 9, 1, 0, 0, 2, 2, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9})
	f.Fuzz(func(t *testing.T, ops []byte) {
		a, err := chatkpi.NewAssembler(chatkpi.AssemblerSettings{ResolvedQuiet: time.Minute, IdleTimeout: time.Hour, Lateness: 30 * time.Second, ClosedRecord: 3, MaxEvents: 8})
		if err != nil {
			t.Fatal(err)
		}
		r, _ := chatkpi.NewReport(chatkpi.ReportSettings{})
		next := func() int {
			if len(ops) == 0 {
				return 0
			}
			b := ops[0]
			ops = ops[1:]
			return int(b)
		}
		now := t0
		dups := int64(0)
		for len(ops) > 0 {
			op, conv := next()%4, fmt.Sprint("c", next()%4)
			switch op {
			case 0, 1: // an event
				e := chatkpi.Event{Time: at(time.Duration(next()) * 10 * time.Second), Type: chatkpi.EventType(1 + next()%15),
					Role: chatkpi.Role(1 + next()%4), Survey: chatkpi.Survey(next() % 4), Score: int8(next() % 12)}
				if k := next(); k%3 != 0 {
					e.ID = fmt.Sprint(k % 8)
				}
				if e.Type == chatkpi.Joined || e.Type == chatkpi.Online || e.Type == chatkpi.Offline || e.Role == chatkpi.Agent {
					e.Agent = "ana"
				}
				err := a.Add(now, chatkpi.Info{ID: conv, Channel: []string{"", "chat", "email"}[next()%3]}, e)
				switch {
				case err == nil:
					dups = a.Duplicates()
				case a.Duplicates() != dups:
					t.Fatalf("a rejected event counted as a duplicate: %v", err)
				case !isInvalid(err):
					t.Fatalf("Add: %v", err)
				}
			case 2:
				now = now.Add(time.Duration(next()) * 10 * time.Second)
				_ = a.Advance(now, r)
			default:
				if err := a.Close(now, conv); err != nil && !isInvalid(err) {
					t.Fatalf("Close: %v", err)
				}
				b, err := a.MarshalBinary()
				if err != nil {
					t.Fatal(err)
				}
				var cp chatkpi.Assembler
				if err := cp.UnmarshalBinary(b); err != nil {
					t.Fatalf("a checkpoint does not restore: %v", err)
				}
				a = &cp
			}
		}
		if a.Duplicates() != dups {
			t.Fatalf("duplicates %d, counted %d", a.Duplicates(), dups)
		}
		_ = a.Drain(r)
		if a.Open() != 0 {
			t.Fatalf("%d open after Drain", a.Open())
		}
	})
}

func isInvalid(err error) bool { return errors.Is(err, chatkpi.ErrInvalid) }
