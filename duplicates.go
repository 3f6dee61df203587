package chatkpi

// The duplicate rule, written once: two events of one conversation with the
// same non-empty [Event].ID are one event delivered twice, and the later
// copy is dropped; the same ID with different content is an error, because
// which copy is right cannot be known. Events without an ID are never
// duplicates of each other.

// duplicateOf applies the duplicate rule to e, an event of conversation id
// whose ID equals the ID of the kept event: true when e is a copy of kept
// (drop it), an [*InputError] naming the conversation and the event when the
// content differs.
func duplicateOf(id string, kept, e *Event) (bool, error) {
	if sameEvent(kept, e) {
		return true, nil
	}
	return false, &InputError{Conversation: id, Event: -1, Field: "id",
		Reason: "event " + quoteShort(e.ID) + " was delivered before with different content: the same id must be the same event"}
}

// sameEvent reports whether a and b have the same content: equal instants
// and money values (1.50 equals 1.5), every other field equal.
func sameEvent(a, b *Event) bool {
	return a.Time.Equal(b.Time) && a.Value.Equal(b.Value) && a.Agent == b.Agent && a.Currency == b.Currency &&
		a.Score == b.Score && a.Type == b.Type && a.Role == b.Role && a.Survey == b.Survey &&
		a.Private == b.Private && a.Automatic == b.Automatic && a.Helpful == b.Helpful && a.ID == b.ID
}
