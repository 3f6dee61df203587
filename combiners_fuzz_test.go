package chatkpi

import (
	"errors"
	"testing"
	"time"
)

// FuzzCombinerSettings fuzzes the combiners' string settings (the CSAT
// scale with its thresholds, the CES scale, the first-response start):
// Check and building the accumulator agree, an error wraps ErrInvalid, and
// a combiner that checks out records an answer on its scale and refuses
// one below it.
func FuzzCombinerSettings(f *testing.F) {
	f.Add("1-5", 0, -1, "", "")
	f.Add("0–10", 9, 6, "effort5", "handoff")
	f.Add(" 1 - 10", 11, 0, "agreement7", "conversation-start")
	f.Add("5-1", 0, -1, "x", "customer-message ")
	f.Fuzz(func(t *testing.T, scale string, satisfied, dissatisfied int, ces, start string) {
		cs := CSATCombiner{Scale: scale, SatisfiedFrom: satisfied}
		if dissatisfied >= 0 {
			cs.DissatisfiedThrough = &dissatisfied
		}
		err := cs.Check()
		acc, nerr := cs.NewCSAT()
		if (err == nil) != (nerr == nil) {
			t.Fatalf("Check says %v, NewCSAT %v", err, nerr)
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
				return &Chat{Meta: Info{ID: "c"}, Events: []Event{{Time: at, Type: Rating, Role: Customer, Survey: CSATSurvey, Score: score}}}
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

		cc := CESCombiner{Scale: ces}
		if err := cc.Check(); err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("%v does not wrap ErrInvalid", err)
			}
		} else if want := map[string]CESScale{"": CESAgreement7, "agreement7": CESAgreement7, "effort5": CESEffort5}[ces]; cc.CreateAccumulator().Scale() != want || ces != "" && ces != "agreement7" && ces != "effort5" {
			t.Fatalf("CES scale %q builds %v", ces, cc.CreateAccumulator().Scale())
		}

		fc := FirstResponseCombiner{Start: start}
		err = fc.Check()
		frt, nerr := fc.NewFirstResponseTime()
		if (err == nil) != (nerr == nil) {
			t.Fatalf("Check says %v, NewFirstResponseTime %v", err, nerr)
		}
		if err != nil && !errors.Is(err, ErrInvalid) {
			t.Fatalf("%v does not wrap ErrInvalid", err)
		}
		if err == nil {
			want := map[string]FRTStart{"": FromCustomerMessage, "customer-message": FromCustomerMessage,
				"conversation-start": FromConversationStart, "handoff": FromHandoff}
			if w, ok := want[start]; !ok || frt.cfg.start != w {
				t.Fatalf("start %q builds %v", start, frt.cfg.start)
			}
		}
	})
}
