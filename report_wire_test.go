package chatkpi

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// fourBotChats are four conversations, each with one bot reply that is a
// fallback: a fallback rate of 4 of 4.
func fourBotChats() []*Chat {
	at := func(h int) time.Time { return time.Date(2026, 11, 23, h, 0, 0, 0, time.UTC) }
	var cs []*Chat
	for i := range 4 {
		cs = append(cs, &Chat{Meta: Info{ID: strconv.Itoa(i)}, Events: []Event{
			{Time: at(i), Type: Message, Role: Customer},
			{Time: at(i).Add(time.Minute), Type: Fallback, Role: Bot},
			{Time: at(i).Add(2 * time.Minute), Type: Rating, Role: Customer, Survey: NPSSurvey, Score: 10},
		}})
	}
	return cs
}

// poisonedEncoding encodes a report of fourBotChats whose settings block
// (the fingerprint's empty accumulators) carries the state poison adds.
func poisonedEncoding(t *testing.T, poison func(*metricSet)) []byte {
	t.Helper()
	r, err := NewReport(ReportPeriod(Day))
	require.NoError(t, err)
	for _, c := range fourBotChats() {
		require.NoError(t, r.AddConversation(c))
	}
	poison(&r.proto)
	r.fingerprint = r.settingsFingerprint()
	b, err := r.MarshalBinary()
	require.NoError(t, err)
	return b
}

// TestReportSettingsBlockHoldsNoState: a report decoded into a zero value
// takes its settings from the encoding, never state. Before the fix the
// poisoned settings block became the start of every group and was added
// again at each decode → encode → decode: with 32 bot replies and 100 NPS
// answers in it, four conversations showed a fallback rate "of" 68, then
// 100, then 132, and their 4 NPS responses became 204, 304, 404.
func TestReportSettingsBlockHoldsNoState(t *testing.T) {
	for name, poison := range map[string]func(*metricSet){
		"bot replies": func(s *metricSet) { s.bot.fallbacks, s.bot.botReply = 32, 32 },
		"nps answers": func(s *metricSet) {
			for range 100 {
				require.NoError(t, s.nps.Add(10))
			}
		},
		"csat surveys sent": func(s *metricSet) { require.NoError(t, s.csat.AddSent(7)) },
		"ces answers":       func(s *metricSet) { require.NoError(t, s.ces.Add(3)) },
		"first response":    func(s *metricSet) { s.frt.unanswered = 5 },
		"durations":         func(s *metricSet) { s.dur.full.Add(time.Minute) },
		"outcomes": func(s *metricSet) {
			s.out.counts[Unengaged-1] = 9
		},
		"conversion": func(s *metricSet) { s.conv.conversations = 3 },
	} {
		t.Run(name, func(t *testing.T) {
			b := poisonedEncoding(t, poison)
			var z Report
			err := z.UnmarshalBinary(b)
			require.ErrorIs(t, err, ErrInvalid)
			require.Contains(t, err.Error(), "settings block holds state")
			require.Nil(t, z.cfg, "unchanged after error")
		})
	}
}

// TestReportDecodeEncodeDecodeStable: a sound encoding decoded into a zero
// value keeps its counts through any number of decode → encode rounds.
func TestReportDecodeEncodeDecodeStable(t *testing.T) {
	b := poisonedEncoding(t, func(*metricSet) {})
	for round := range 3 {
		var z Report
		require.NoError(t, z.UnmarshalBinary(b), "round %d", round)
		s, err := z.Summary()
		require.NoError(t, err)
		require.Equal(t, int64(4), s.Overall.Conversations)
		require.Equal(t, int64(4), s.Overall.FallbackRate.Of, "round %d", round)
		require.Equal(t, int64(4), s.Overall.NPS.Responses, "round %d", round)
		b, err = z.MarshalBinary()
		require.NoError(t, err)
	}
}

// TestReportUnmarshalReproSeeds decodes the audit's seeds (in
// testdata/fuzz/FuzzReportUnmarshal) into a zero value: each is rejected,
// or keeps its counts through decode → encode → decode.
func TestReportUnmarshalReproSeeds(t *testing.T) {
	for _, name := range []string{"a8fb7e964fcb992d", "d2ed28173ab3a464"} {
		t.Run(name, func(t *testing.T) {
			raw, err := os.ReadFile(filepath.Join("testdata", "fuzz", "FuzzReportUnmarshal", name))
			require.NoError(t, err)
			lines := strings.Split(strings.TrimSpace(string(raw)), "\n")
			require.Len(t, lines, 2)
			lit := strings.TrimSuffix(strings.TrimPrefix(lines[1], "[]byte("), ")")
			s, err := strconv.Unquote(lit)
			require.NoError(t, err)
			var z Report
			err = z.UnmarshalBinary([]byte(s))
			require.Error(t, err, "a settings block with state is rejected")
			require.True(t, errors.Is(err, ErrInvalid), err)
		})
	}
}

// TestReportUnmarshalRejectsInconsistentGroups: a decoded metric set holds
// only what the report's metrics can record: nothing in the accumulators of
// metrics that are off, and every conversation counted once by each
// accumulator that counts conversations.
func TestReportUnmarshalRejectsInconsistentGroups(t *testing.T) {
	for name, tc := range map[string]struct {
		opts   []ReportOption
		poison func(*metricSet)
	}{
		"nps answers in a report without nps": {
			[]ReportOption{ReportMetrics(MetricFirstResponse, MetricBotQuality)},
			func(s *metricSet) { require.NoError(t, s.nps.Add(9)) },
		},
		"first response counts one conversation too many": {
			nil, func(s *metricSet) { s.frt.unanswered++ },
		},
		"first response counts overflow to the conversations": {
			nil, func(s *metricSet) { s.frt.unanswered, s.frt.unengaged = 1<<62, 1<<62 },
		},
		"resolution counts one conversation too few": {
			nil, func(s *metricSet) { s.res.unresolved-- },
		},
		"chat duration counts one conversation too many": {
			nil, func(s *metricSet) { s.dur.noMessages++ },
		},
		"queue wait counts one conversation too many": {
			nil, func(s *metricSet) { s.queue.notWaiting++ },
		},
	} {
		t.Run(name, func(t *testing.T) {
			r, err := NewReport(tc.opts...)
			require.NoError(t, err)
			for _, c := range fourBotChats() {
				require.NoError(t, r.AddConversation(c))
			}
			b, err := r.MarshalBinary()
			require.NoError(t, err)
			require.NoError(t, new(Report).UnmarshalBinary(b), "the sound encoding decodes")
			tc.poison(&r.overall)
			b, err = r.MarshalBinary()
			require.NoError(t, err)
			require.ErrorIs(t, new(Report).UnmarshalBinary(b), ErrInvalid)
			same, err := NewReport(tc.opts...)
			require.NoError(t, err)
			require.ErrorIs(t, same.UnmarshalBinary(b), ErrInvalid)
		})
	}
}

// dimChat is a conversation whose dimension u is v, with a CSAT survey
// sent by each of agents in turn (each joins, sends it and hands over).
func dimChat(id, v string, agents ...string) *Chat {
	t0 := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	c := &Chat{Meta: Info{ID: id, Dims: map[string]string{"u": v}}, Events: []Event{{Time: t0, Type: Message, Role: Customer}}}
	for i, a := range agents {
		at := t0.Add(time.Duration(i+1) * time.Minute)
		c.Events = append(c.Events,
			Event{Time: at, Type: Joined, Role: Agent, Agent: a},
			Event{Time: at.Add(time.Second), Type: SurveySent, Role: System, Survey: CSATSurvey})
	}
	return c
}

func TestReportMaxGroups(t *testing.T) {
	_, err := NewReport(ReportMaxGroups(0))
	require.ErrorIs(t, err, ErrInvalid)

	r, err := NewReport(ReportGroupBy(GroupByDim("u")), ReportMaxGroups(3))
	require.NoError(t, err)
	for i, v := range []string{"a", "b", "c", "a", "c"} {
		require.NoError(t, r.AddConversation(dimChat(strconv.Itoa(i), v)))
	}
	before, err := r.MarshalBinary()
	require.NoError(t, err)
	err = r.AddConversation(dimChat("x", "d"))
	require.ErrorIs(t, err, ErrLimit)
	require.Contains(t, err.Error(), `conversation "x"`)
	require.Contains(t, err.Error(), "limit of 3 groups")
	after, err := r.MarshalBinary()
	require.NoError(t, err)
	require.Equal(t, before, after, "nothing recorded")
	require.NoError(t, r.AddConversation(dimChat("y", "b")), "an existing group takes more")

	// Merging past the limit leaves r unchanged; decoding past it fails.
	o, _ := NewReport(ReportGroupBy(GroupByDim("u")))
	require.NoError(t, o.AddConversation(dimChat("z", "e")))
	before, _ = r.MarshalBinary()
	require.ErrorIs(t, r.Merge(o), ErrLimit)
	after, _ = r.MarshalBinary()
	require.Equal(t, before, after)
	require.NoError(t, o.Merge(r), "o's default limit takes the four groups")
	four, err := o.MarshalBinary()
	require.NoError(t, err)
	small, _ := NewReport(ReportGroupBy(GroupByDim("u")), ReportMaxGroups(3))
	require.ErrorIs(t, small.UnmarshalBinary(four), ErrLimit)
	require.NoError(t, new(Report).UnmarshalBinary(four))

	_, err = BuildReport([]*Chat{dimChat("1", "a"), dimChat("2", "b"), dimChat("3", "c")}, 3,
		ReportGroupBy(GroupByDim("u")), ReportMaxGroups(2))
	require.ErrorIs(t, err, ErrLimit)
}

// TestReportMaxGroupsCSATByAgent: the groups CSAT attribution makes count,
// and a conversation naming more agents than fit records nothing.
func TestReportMaxGroupsCSATByAgent(t *testing.T) {
	r, err := NewReport(ReportGroupBy(GroupByAgent()), ReportMaxGroups(5))
	require.NoError(t, err)
	// Attributed to a1…a4 (a5 handles it at the end): five groups.
	require.NoError(t, r.AddConversation(dimChat("1", "", "a1", "a2", "a3", "a4", "a5")))
	require.Equal(t, 5, r.ngroups)
	before, _ := r.MarshalBinary()
	err = r.AddConversation(dimChat("2", "", "a1", "b1"))
	require.ErrorIs(t, err, ErrLimit)
	after, _ := r.MarshalBinary()
	require.Equal(t, before, after, "nothing recorded")
	require.NoError(t, r.AddConversation(dimChat("3", "", "a2", "a3", "a1")))
	s, err := r.Summary()
	require.NoError(t, err)
	require.Len(t, s.Groups, 5)
}

// TestReportLocalZoneIsNotEncoded: "Local" would decode in the zone of the
// decoding machine, so a report in time.Local does not encode, and an
// encoding naming "Local" does not decode into a zero value.
func TestReportLocalZoneIsNotEncoded(t *testing.T) {
	ps, err := NewPeriods(time.Local, time.Monday)
	require.NoError(t, err)
	r, err := NewReport(ReportPeriod(Day), ReportPeriods(ps))
	require.NoError(t, err)
	for _, c := range fourBotChats() {
		require.NoError(t, r.AddConversation(c))
	}
	_, err = r.MarshalBinary()
	require.ErrorIs(t, err, ErrInvalid)
	require.Contains(t, err.Error(), "Local zone has no portable name")
	require.NoError(t, r.Merge(r), "copies within the process still work")

	var z Report
	require.ErrorIs(t, z.UnmarshalBinary(r.encode()), ErrInvalid)

	var v Volume
	v.cfg.periods = ps
	_, err = v.MarshalBinary()
	require.ErrorIs(t, err, ErrInvalid)
}

// TestReportZeroValueTakesEverySetting: a zero value decodes the encoding
// of a report built with every option a fingerprint carries, and encodes
// it back to the same bytes.
func TestReportZeroValueTakesEverySetting(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	require.NoError(t, err)
	ps, err := NewPeriods(berlin, time.Sunday)
	require.NoError(t, err)
	for name, opts := range map[string][]ReportOption{
		"defaults": nil,
		"every option": {ReportPeriod(Week), ReportPeriods(ps), ReportGroupBy(GroupByAgent(), GroupByDim("u")),
			ReportStreaming(0.02), ReportQuantiles(0.75, 0.999),
			ReportCSAT(WithCSATScale(0, 10), WithSatisfiedFrom(9), WithDissatisfiedThrough(6)), ReportCES(CESEffort5),
			ReportOutcomes(WithCompletionWindow(48*time.Hour), WithRepeatContactWindow(time.Hour), WithAsOf(time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC))),
			ReportMetrics(MetricFirstResponse, MetricCSAT, MetricOutcomes, MetricBotQuality)},
	} {
		t.Run(name, func(t *testing.T) {
			r, err := NewReport(opts...)
			require.NoError(t, err)
			for _, c := range fourBotChats() {
				require.NoError(t, r.AddConversation(c))
			}
			b, err := r.MarshalBinary()
			require.NoError(t, err)
			var z Report
			require.NoError(t, z.UnmarshalBinary(b))
			again, err := z.MarshalBinary()
			require.NoError(t, err)
			require.Equal(t, b, again)
			require.NoError(t, r.Merge(&z), "the decoded report has the same settings")
		})
	}
}

// TestVolumeUnmarshalRejectsGroupsWithoutGrouping: a volume without a
// grouping keeps its rows under the empty key; a row of another group is
// state its settings cannot hold.
func TestVolumeUnmarshalRejectsGroupsWithoutGrouping(t *testing.T) {
	var v Volume
	require.NoError(t, v.AddConversation(fourBotChats()[0]))
	for k, c := range v.rows {
		delete(v.rows, k)
		k.group = "ana"
		v.rows[k] = c
	}
	b, err := v.MarshalBinary()
	require.NoError(t, err)
	require.ErrorIs(t, new(Volume).UnmarshalBinary(b), ErrInvalid)
}
