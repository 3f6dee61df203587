package chatkpi

import (
	"errors"
	"testing"
	"time"
)

// FuzzCombinerSettings fuzzes the combiners' settings (the CSAT scale with
// its thresholds, the CES scale, the first-response start): the check that
// guards every input and building the calculator agree, an error wraps
// ErrInvalid, and a combiner that checks out records an answer on its scale
// and refuses one below it.
func FuzzCombinerSettings(f *testing.F) {
	f.Add(1, 5, 0, 0, uint8(0), uint8(0))
	f.Add(0, 10, 9, 7, uint8(1), uint8(2))
	f.Add(1, 10, 11, 1, uint8(0), uint8(1))
	f.Add(5, 1, 0, 0, uint8(9), uint8(3))
	f.Fuzz(func(t *testing.T, min, max, satisfied, dissatisfiedBelow int, ces, start uint8) {
		cs := CSATCombiner{Settings: CSATSettings{Scale: Scale{Min: min, Max: max}, SatisfiedFrom: satisfied, DissatisfiedBelow: dissatisfiedBelow}}
		err := cs.check()
		acc, nerr := NewCSAT(cs.Settings)
		if (err == nil) != (nerr == nil) {
			t.Fatalf("check says %v, NewCSAT %v", err, nerr)
		}
		if err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("%v does not wrap ErrInvalid", err)
			}
			if _, aerr := cs.AddInput(cs.CreateAccumulator(), &Chat{Meta: Info{ID: "c"}}); !errors.Is(aerr, ErrInvalid) {
				t.Fatalf("AddInput with invalid settings gives %v", aerr)
			}
		} else {
			s := acc.Scale()
			at := time.Date(2026, 1, 5, 10, 0, 0, 0, time.UTC)
			answer := func(score int) *Chat {
				return &Chat{Meta: Info{ID: "c"}, Events: []Event{{Time: at, Type: Rating, Role: Customer, Survey: CSATSurvey, Score: int8(score)}}}
			}
			got, err := cs.AddInput(cs.CreateAccumulator(), answer(s.Max))
			if err != nil {
				t.Fatalf("scale %s: the top answer is refused: %v", s, err)
			}
			if r, err := cs.ExtractOutput(got); err != nil || r.Responses != 1 || r.Satisfied.Successes != 1 {
				t.Fatalf("scale %s: the top answer gives %+v, %v", s, r, err)
			}
			if _, err := cs.AddInput(cs.CreateAccumulator(), answer(s.Min-1)); !errors.Is(err, ErrInvalid) {
				t.Fatalf("scale %s: an answer below the scale gives %v", s, err)
			}
		}

		cc := CESCombiner{Settings: CESSettings{Scale: CESScale(ces)}}
		if err := cc.check(); err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("%v does not wrap ErrInvalid", err)
			}
			if ces <= uint8(CESEffort5) {
				t.Fatalf("CES scale %d refused: %v", ces, err)
			}
		} else if cc.CreateAccumulator().Scale() != CESScale(ces) {
			t.Fatalf("CES scale %d builds %v", ces, cc.CreateAccumulator().Scale())
		}

		fc := FirstResponseCombiner{Settings: FirstResponseSettings{Start: FRTStart(start)}}
		err = fc.check()
		frt, nerr := NewFirstResponseTime(fc.Settings)
		if (err == nil) != (nerr == nil) {
			t.Fatalf("check says %v, NewFirstResponseTime %v", err, nerr)
		}
		if err != nil && !errors.Is(err, ErrInvalid) {
			t.Fatalf("%v does not wrap ErrInvalid", err)
		}
		if err == nil && frt.cfg.start != FRTStart(start) {
			t.Fatalf("start %d builds %v", start, frt.cfg.start)
		}
	})
}
