package chatkpi

// tagBotQuality is the wire tag of [BotQuality].
const tagBotQuality byte = 0x39

// BotQuality accumulates how well the bot answers. The zero value is an
// empty accumulator ready to use.
//
//   - Response accuracy = helpful Feedback events ÷ Feedback events (rated
//     answers). Each Feedback rates the bot's most recent answer, so a
//     Feedback before any bot reply in its conversation is an error; two
//     Feedback events on one answer (the customer's and a reviewer's) count
//     as two ratings.
//   - Fallback rate = Fallback events ÷ bot replies, where bot replies are
//     the events for which [Event.IsReply] holds and Role is Bot: public bot
//     Messages (not Private, not Automatic) and Fallbacks.
//
// A BotQuality is not safe for concurrent use.
type BotQuality struct {
	helpful, rated      int64
	fallbacks, botReply int64
	buf                 []Event
}

// Add counts the bot replies, fallbacks and feedback of a conversation. It
// returns an [*InputError] for an invalid event, events out of time order or
// a Feedback before any bot reply; on error nothing is counted.
func (q *BotQuality) AddConversation(c Conversation) error {
	info := c.Info()
	if info.ID == "" {
		return noConversationID()
	}
	events := readEvents(c, &q.buf)
	if err := checkEvents(info.ID, events); err != nil {
		return err
	}
	m, err := measureBotQuality(&info, events)
	if err != nil {
		return err
	}
	q.record(&m)
	return nil
}

// botMeasure is what one conversation adds to a [BotQuality].
type botMeasure struct{ helpful, rated, fallbacks, replies int64 }

// record adds a measured conversation.
func (q *BotQuality) record(m *botMeasure) {
	q.helpful += m.helpful
	q.rated += m.rated
	q.fallbacks += m.fallbacks
	q.botReply += m.replies
}

// measureBotQuality counts the bot replies, fallbacks and feedback of a
// conversation whose events passed checkEvents.
func measureBotQuality(info *Info, events []Event) (botMeasure, error) {
	var m botMeasure
	for i := range events {
		e := &events[i]
		switch {
		case e.IsReply() && e.Role == Bot:
			m.replies++
			if e.Type == Fallback {
				m.fallbacks++
			}
		case e.Type == Feedback:
			if m.replies == 0 {
				return botMeasure{}, eventErrorf(info.ID, i, "type", "feedback before any bot reply: it has no answer to rate")
			}
			m.rated++
			if e.Helpful {
				m.helpful++
			}
		}
	}
	return m, nil
}

// Merge adds the counts of other.
func (q *BotQuality) Merge(other *BotQuality) error {
	if other == nil {
		return nil // nothing to add
	}
	q.helpful += other.helpful
	q.rated += other.rated
	q.fallbacks += other.fallbacks
	q.botReply += other.botReply
	return nil
}

// BotQualityResult holds the bot's answer quality with exact counts; a rate
// with no trials reports [ErrNoData].
type BotQualityResult struct {
	Accuracy Proportion // helpful feedback ÷ rated answers
	Fallback Proportion // fallbacks ÷ bot replies
}

// Result returns the accuracy and fallback rate, or [ErrNoData] if there
// was neither a bot reply nor a rating.
func (q *BotQuality) Result() (BotQualityResult, error) {
	r := BotQualityResult{
		Accuracy: Proportion{q.helpful, q.rated},
		Fallback: Proportion{q.fallbacks, q.botReply},
	}
	if q.rated == 0 && q.botReply == 0 {
		return r, ErrNoData
	}
	return r, nil
}

// MarshalBinary encodes the counts.
func (q *BotQuality) MarshalBinary() ([]byte, error) {
	e := newEncoder(tagBotQuality, 16)
	e.uvarint(uint64(q.helpful))
	e.uvarint(uint64(q.rated))
	e.uvarint(uint64(q.fallbacks))
	e.uvarint(uint64(q.botReply))
	return e.finish(), nil
}

// UnmarshalBinary replaces the counts with those written by
// [BotQuality.MarshalBinary]; on a corrupt encoding it returns an error
// wrapping [ErrInvalid] and leaves q unchanged.
func (q *BotQuality) UnmarshalBinary(data []byte) error {
	d := newDecoder(data, tagBotQuality, "bot quality")
	helpful, rated, fallbacks, replies := d.count(), d.count(), d.count(), d.count()
	if err := d.finish(); err != nil {
		return err
	}
	if helpful > rated || fallbacks > replies || rated > 0 && replies == 0 {
		return invalidf("bot quality", "inconsistent counts: %d helpful of %d rated, %d fallbacks of %d replies", helpful, rated, fallbacks, replies)
	}
	q.helpful, q.rated, q.fallbacks, q.botReply = helpful, rated, fallbacks, replies
	return nil
}
