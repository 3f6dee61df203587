package chatkpi

import "time"

// OpenSummary describes the open conversations as they stand (see
// [Assembler.OpenSummary]). Nothing in it is counted in the report's
// summary: a conversation moves from here to there when it closes.
type OpenSummary struct {
	AsOf          time.Time `json:"as_of"`
	Conversations int64     `json:"conversations"` // open conversations (closed ones held for the lateness included)
	Events        int64     `json:"events"`        // their events
	// WaitingCustomers counts the open conversations whose latest customer
	// message is later than their latest public reply and than their
	// latest Left or Resolved.
	WaitingCustomers int64 `json:"waiting_customers"`
	// Unanswered is the current first response time of the engaged inbound
	// open conversations without a reply at or after their first customer
	// message: AsOf minus that message, in calendar time (exact
	// percentiles). A conversation whose first customer message is after
	// AsOf is not waiting yet. Null when none waits.
	Unanswered *TimingSummary `json:"unanswered_first_response"`
}

// openFacts is what the open view needs of one conversation, kept up to
// date as events arrive in any order: only earliest and latest instants,
// so the order of arrival does not matter.
type openFacts struct {
	firstCustomer, lastCustomer time.Time // customer messages
	lastReply                   time.Time // public replies (IsReply)
	lastStop                    time.Time // Left or Resolved
	events                      int
	outbound                    bool
}

func (f *openFacts) add(e *Event) {
	f.events++
	switch {
	case e.IsCustomerMessage():
		if f.firstCustomer.IsZero() || e.Time.Before(f.firstCustomer) {
			f.firstCustomer = e.Time
		}
		f.lastCustomer = later(f.lastCustomer, e.Time)
	case e.IsReply():
		f.lastReply = later(f.lastReply, e.Time)
	case e.Type == Left || e.Type == Resolved:
		f.lastStop = later(f.lastStop, e.Time)
	}
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// OpenSummary describes the open conversations at asOf. It costs one step
// per open conversation (their facts are kept as events arrive).
func (a *Assembler) OpenSummary(asOf time.Time) (OpenSummary, error) {
	return openSummary(asOf, a.openFacts())
}

// openFacts copies the facts of the open conversations, for a view
// computed elsewhere.
func (a *Assembler) openFacts() []openFacts {
	facts := make([]openFacts, 0, len(a.open))
	for _, c := range a.open {
		facts = append(facts, c.facts)
	}
	return facts
}

func openSummary(asOf time.Time, facts []openFacts) (OpenSummary, error) {
	s := OpenSummary{AsOf: asOf, Conversations: int64(len(facts))}
	var waits Durations
	for i := range facts {
		f := &facts[i]
		s.Events += int64(f.events)
		if !f.lastCustomer.IsZero() && f.lastCustomer.After(f.lastReply) && f.lastCustomer.After(f.lastStop) {
			s.WaitingCustomers++
		}
		answered := !f.lastReply.IsZero() && !f.lastReply.Before(f.firstCustomer)
		if !f.firstCustomer.IsZero() && !answered && !f.outbound && !asOf.Before(f.firstCustomer) {
			if err := waits.Add(asOf.Sub(f.firstCustomer)); err != nil {
				return s, err
			}
		}
	}
	if waits.size() == 0 {
		return s, nil
	}
	st, err := waits.Result()
	if err != nil {
		return s, err
	}
	s.Unanswered, err = timingSummary(make(bucketLabels), st, nil, st.Count, 0, 0)
	return s, err
}
