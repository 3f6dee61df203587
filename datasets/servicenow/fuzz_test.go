package servicenow_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/chatkpi/chatkpi"
	"github.com/chatkpi/chatkpi/datasets/servicenow"
)

func FuzzLoad(f *testing.F) {
	head := strings.Join(servicenow.Header(), ",") + "\n"
	row := "INC1,%s,true,0,0,%s,true,Caller 1,O,1/3/2016 10:00,C,1/3/2016 10:00,U,%s,Phone,L,Cat,S,Sy,?,2 - Medium,2 - Medium,3 - Moderate,Group 1,%s,true,false,Do Not Notify,?,?,?,?,code 1,R,%s,?\n"
	seed := func(rows ...[5]string) []byte {
		var b strings.Builder
		b.WriteString(head)
		for _, r := range rows {
			b.WriteString(strings.NewReplacer("%s", "\x00").Replace(row))
			s := b.String()
			for _, v := range r {
				s = strings.Replace(s, "\x00", v, 1)
			}
			b.Reset()
			b.WriteString(s)
		}
		return []byte(b.String())
	}
	f.Add(seed([5]string{"New", "0", "1/3/2016 10:00", "?", "1/3/2016 12:00"},
		[5]string{"Awaiting User Info", "1", "1/3/2016 10:30", "Agent 1", "1/3/2016 12:00"},
		[5]string{"Resolved", "2", "1/3/2016 12:00", "Agent 1", "1/3/2016 12:00"},
		[5]string{"Active", "3", "2/3/2016 09:00", "Agent 2", "1/3/2016 12:00"}))
	f.Add(seed([5]string{"Resolved", "0", "1/3/2016 10:00", "?", "?"}, [5]string{"Closed", "1", "6/3/2016 10:00", "?", "?"}))
	f.Add([]byte(head))
	f.Fuzz(func(t *testing.T, data []byte) {
		l, err := servicenow.Load(bytes.NewReader(data))
		if err != nil {
			if !errors.Is(err, chatkpi.ErrInvalid) {
				t.Fatalf("error %v does not wrap ErrInvalid", err)
			}
			return
		}
		if len(l.MadeSLA) != len(l.Incidents) || len(l.ReopenCount) != len(l.Incidents) {
			t.Fatal("Log slices of different lengths")
		}
		var r chatkpi.Report
		for _, c := range l.Incidents {
			if err := chatkpi.Validate(c); err != nil {
				t.Fatalf("converted incident is invalid: %v", err)
			}
			if err := r.AddConversation(c); err != nil {
				t.Fatalf("the report rejects a converted incident: %v", err)
			}
		}
	})
}
