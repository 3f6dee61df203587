package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/chatkpi/chatkpi"
	"github.com/stretchr/testify/require"
)

// clock is the backend's fixed "now" in the tests: before every generated
// event, so that no conversation closes by itself while the test posts.
func clock() time.Time { return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC) }

// conversations generates n conversations of about ten events (customer
// messages, bot replies, handoffs, agent replies, resolutions, CSAT
// answers), each event with an id, at distinct times.
func conversations(n int) []*chatkpi.Chat {
	return conversationsFrom(time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC), n)
}

// conversationsFrom generates them in the week from start.
func conversationsFrom(start time.Time, n int) []*chatkpi.Chat {
	rng := rand.New(rand.NewPCG(1, 2))
	chats := make([]*chatkpi.Chat, n)
	for i := range chats {
		at := start.Add(time.Duration(rng.IntN(7*24*3600)) * time.Second)
		var ev []chatkpi.Event
		add := func(e chatkpi.Event) {
			at = at.Add(time.Duration(1+rng.IntN(300)) * time.Second)
			e.Time, e.ID = at, fmt.Sprintf("e%02d", len(ev))
			ev = append(ev, e)
		}
		agent := fmt.Sprint("agent", rng.IntN(20))
		add(chatkpi.Event{Type: chatkpi.Message, Role: chatkpi.Customer})
		add(chatkpi.Event{Type: chatkpi.Message, Role: chatkpi.Bot})
		add(chatkpi.Event{Type: chatkpi.Message, Role: chatkpi.Customer})
		switch rng.IntN(4) {
		case 0: // the bot resolves it
			add(chatkpi.Event{Type: chatkpi.Message, Role: chatkpi.Bot})
			add(chatkpi.Event{Type: chatkpi.Resolved, Role: chatkpi.Bot})
		case 1: // abandoned
			add(chatkpi.Event{Type: chatkpi.Left, Role: chatkpi.Customer})
		default: // handed to an agent
			add(chatkpi.Event{Type: chatkpi.Handoff, Role: chatkpi.Bot})
			add(chatkpi.Event{Type: chatkpi.Joined, Role: chatkpi.Agent, Agent: agent})
			add(chatkpi.Event{Type: chatkpi.Message, Role: chatkpi.Agent, Agent: agent})
			add(chatkpi.Event{Type: chatkpi.Message, Role: chatkpi.Customer})
			add(chatkpi.Event{Type: chatkpi.Message, Role: chatkpi.Agent, Agent: agent})
			add(chatkpi.Event{Type: chatkpi.Resolved, Role: chatkpi.Agent, Agent: agent})
		}
		if rng.IntN(3) == 0 {
			add(chatkpi.Event{Type: chatkpi.SurveySent, Role: chatkpi.System, Survey: chatkpi.CSATSurvey})
			add(chatkpi.Event{Type: chatkpi.Rating, Role: chatkpi.Customer, Survey: chatkpi.CSATSurvey, Score: int8(1 + rng.IntN(5))})
		}
		chats[i] = &chatkpi.Chat{Meta: chatkpi.Info{ID: fmt.Sprintf("c%05d", i), Customer: fmt.Sprint("u", rng.IntN(1000)), Channel: "chat"}, Events: ev}
	}
	return chats
}

// lines returns each event of c as one JSON line, the conversation-level
// fields on the first.
func lines(t testing.TB, c *chatkpi.Chat) [][]byte {
	var buf bytes.Buffer
	w := chatkpi.NewJSONLWriter(&buf)
	require.NoError(t, w.WriteConversation(c))
	require.NoError(t, w.Flush())
	var out [][]byte
	for l := range bytes.Lines(buf.Bytes()) {
		out = append(out, l)
	}
	require.Len(t, out, len(c.Events))
	return out
}

func serial(t testing.TB, chats []*chatkpi.Chat) []byte {
	r, err := chatkpi.NewReport(reportSettings())
	require.NoError(t, err)
	for _, c := range chats {
		require.NoError(t, r.AddConversation(c))
	}
	s, err := r.Summary()
	require.NoError(t, err)
	b, err := json.Marshal(s)
	require.NoError(t, err)
	return b
}

type client struct {
	http *http.Client
	url  string
}

func (c client) post(path string, body []byte) (int, string, error) {
	resp, err := c.http.Post(c.url+path, "application/jsonl", bytes.NewReader(body))
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), err
}

func (c client) summary(t testing.TB) *chatkpi.LiveSummary {
	resp, err := c.http.Get(c.url + "/summary")
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	var s chatkpi.LiveSummary
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&s))
	return &s
}

// closedJSON is the closed conversations' summary as JSON, to compare with
// a serial report's.
func closedJSON(t testing.TB, s *chatkpi.LiveSummary) []byte {
	require.NotNil(t, s.Closed)
	b, err := json.Marshal(s.Closed)
	require.NoError(t, err)
	return b
}

// plan is what one client posts: bodies of one line or of a batch, some
// out of order, some again.
func plan(t testing.TB, chats []*chatkpi.Chat, rng *rand.Rand) (bodies [][]byte, events, reposts int) {
	var ls [][]byte
	for w := 0; w < len(chats); w += 3 {
		var window [][]byte
		for _, c := range chats[w:min(w+3, len(chats))] {
			window = append(window, lines(t, c)...)
		}
		// out of order within three conversations: the conversation-level
		// fields may come on any line, the events in any order
		rng.Shuffle(len(window), func(i, j int) { window[i], window[j] = window[j], window[i] })
		ls = append(ls, window...)
	}
	for i := 0; i < len(ls); {
		n := 1
		if rng.IntN(5) == 0 {
			n = 2 + rng.IntN(19)
		}
		body := bytes.Join(ls[i:min(i+n, len(ls))], nil)
		bodies = append(bodies, body)
		events += bytes.Count(body, []byte("\n"))
		i += n
	}
	// a tenth re-posted, later
	for _, l := range ls {
		if rng.IntN(10) == 0 {
			at := rng.IntN(len(bodies) + 1)
			bodies = slices.Insert(bodies, at, l)
			reposts++
			events++
		}
	}
	return bodies, events, reposts
}

// Eight clients post 50,000 events over 127.0.0.1, a tenth of them again,
// out of order, in single posts and batches, while a ninth reads /summary
// and /metrics in a tight loop; then every conversation is closed. The
// final summary is the serial report of the same conversations. The
// summary is served from a copy at most 100 ms old (the wall clock, the
// data in the week before it, and a quiet of two weeks so that nothing
// closes early); a fifth of the load runs with the summary computed for
// every request too (a fixed clock before the data), the worst case for
// the writers (with -race it is slow: the reader takes most of the time).
func TestLoad(t *testing.T) {
	t.Run("summary per request", func(t *testing.T) {
		load(t, conversations(1_220), config{now: clock})
	})
	t.Run("summary every 100ms", func(t *testing.T) {
		week := 7 * 24 * time.Hour
		load(t, conversationsFrom(time.Now().Add(-week-time.Hour), 6_100), config{
			now: time.Now, summaryEvery: 100 * time.Millisecond,
			assembler: chatkpi.AssemblerSettings{ResolvedQuiet: 2 * week, IdleTimeout: 2 * week}})
	})
}

// load posts the events of chats (6,100 conversations: 45,000 events; with
// the re-posts, 50,000 posted) and checks the summaries.
func load(t *testing.T, chats []*chatkpi.Chat, cfg config) {
	b, err := newBackend(cfg, io.Discard)
	require.NoError(t, err)
	srv := httptest.NewServer(b)
	defer srv.Close()
	c := client{srv.Client(), srv.URL}
	const clients = 8
	var plans [clients][][]byte
	events, reposts := 0, 0
	for k := range clients {
		var mine []*chatkpi.Chat
		for i := k; i < len(chats); i += clients {
			mine = append(mine, chats[i])
		}
		p, e, r := plan(t, mine, rand.New(rand.NewPCG(uint64(k), 9)))
		plans[k], events, reposts = p, events+e, reposts+r
	}
	var mu sync.Mutex
	var latencies []time.Duration
	var wg sync.WaitGroup
	stop := make(chan struct{})
	go func() { // a reader polling while the writers post
		for {
			select {
			case <-stop:
				return
			default:
			}
			for _, path := range []string{"/summary", "/metrics"} {
				resp, err := c.http.Get(c.url + path)
				if err != nil {
					t.Error(err)
					return
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					t.Errorf("GET %s: %d", path, resp.StatusCode)
					return
				}
			}
		}
	}()
	begin := time.Now()
	for k := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine []time.Duration
			for _, body := range plans[k] {
				t0 := time.Now()
				status, msg, err := c.post("/events", body)
				mine = append(mine, time.Since(t0))
				if err == nil && status != http.StatusOK {
					err = fmt.Errorf("status %d: %s", status, msg)
				}
				if err != nil {
					t.Error(err)
					return
				}
			}
			mu.Lock()
			latencies = append(latencies, mine...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	elapsed := time.Since(begin)
	close(stop)
	require.False(t, t.Failed())
	slices.Sort(latencies)
	p99 := latencies[len(latencies)*99/100]
	t.Logf("%d events (%d re-posted) in %d requests from %d clients in %v: %.0f events/s, p50 %v, p99 %v per request",
		events, reposts, len(latencies), clients, elapsed.Round(time.Millisecond), float64(events)/elapsed.Seconds(),
		latencies[len(latencies)/2], p99)

	time.Sleep(cfg.summaryEvery)
	s := c.summary(t)
	require.Nil(t, s.Closed, "nothing closed before the closes")
	require.EqualValues(t, len(chats), s.Open.Conversations)
	require.EqualValues(t, reposts, s.DuplicatesDropped)

	// The closes come as a live system's do, in about the order the
	// conversations started (a streaming report's successful-chat rate is
	// exact for a customer's conversations arriving a couple late, not in
	// any order: see the Report's memory bound), from 8 clients at once.
	byStart := slices.Clone(chats)
	slices.SortStableFunc(byStart, func(a, b *chatkpi.Chat) int { return a.Events[0].Time.Compare(b.Events[0].Time) })
	for k := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := k; i < len(byStart); i += clients {
				status, msg, err := c.post("/conversations/"+byStart[i].Meta.ID+"/close", nil)
				if err == nil && status != http.StatusNoContent {
					err = fmt.Errorf("status %d: %s", status, msg)
				}
				if err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	time.Sleep(cfg.summaryEvery) // the served copy is fresh again
	s = c.summary(t)
	require.Zero(t, s.Open.Conversations)
	require.Zero(t, s.RejectedConversations)
	require.JSONEq(t, string(serial(t, chats)), string(closedJSON(t, s)))
}

// A checkpoint written at shutdown resumes without losing or double
// counting: half the events, shutdown, restart, the other half and
// re-posts of the first, closes: the serial report.
func TestCheckpointRestart(t *testing.T) {
	chats := conversations(200)
	var all [][]byte
	for _, c := range chats {
		all = append(all, lines(t, c)...)
	}
	cfg := config{now: clock, checkpoint: filepath.Join(t.TempDir(), "state")}
	start := func() (client, func() string) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		require.NoError(t, err)
		ctx, cancel := context.WithCancel(context.Background())
		var out bytes.Buffer
		done := make(chan error, 1)
		go func() { done <- run(ctx, &out, ln, cfg) }()
		return client{&http.Client{}, "http://" + ln.Addr().String()}, func() string {
			cancel()
			select {
			case err := <-done:
				require.NoError(t, err)
			case <-time.After(20 * time.Second):
				t.Fatal("run did not return after cancel")
			}
			return out.String()
		}
	}
	c, stop := start()
	half := len(all) / 2
	for _, l := range all[:half] {
		status, msg, err := c.post("/events", l)
		require.NoError(t, err)
		require.Equal(t, http.StatusOK, status, msg)
	}
	require.Contains(t, stop(), "checkpoint written to "+cfg.checkpoint)

	c, stop = start()
	for _, l := range append(slices.Clone(all[half:]), all[:half/3]...) {
		status, msg, err := c.post("/events", l)
		require.NoError(t, err)
		require.Equal(t, http.StatusOK, status, msg)
	}
	for _, ch := range chats {
		status, msg, err := c.post("/conversations/"+ch.Meta.ID+"/close", nil)
		require.NoError(t, err)
		require.Equal(t, http.StatusNoContent, status, msg)
	}
	s := c.summary(t)
	require.EqualValues(t, half/3, s.DuplicatesDropped)
	require.JSONEq(t, string(serial(t, chats)), string(closedJSON(t, s)))
	stop()
}

// The real binary shuts down on SIGTERM: the request in flight finishes
// and the checkpoint holds the open conversation.
func TestSIGTERM(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the command")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "livebackend")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Stderr = os.Stderr
	require.NoError(t, build.Run())
	ckpt := filepath.Join(dir, "state")
	// The command's clock is the wall clock: an event of now stays open.
	event := lines(t, &chatkpi.Chat{Meta: chatkpi.Info{ID: "live"}, Events: []chatkpi.Event{
		{Time: time.Now(), Type: chatkpi.Message, Role: chatkpi.Customer, ID: "1"}}})[0]
	for _, sig := range []os.Signal{syscall.SIGTERM, os.Interrupt} {
		cmd := exec.Command(bin, "-addr", "127.0.0.1:0", "-checkpoint", ckpt)
		stdout, err := cmd.StdoutPipe()
		require.NoError(t, err)
		require.NoError(t, cmd.Start())
		sc := bufio.NewScanner(stdout)
		require.True(t, sc.Scan())
		url, ok := strings.CutPrefix(sc.Text(), "listening on ")
		require.True(t, ok, sc.Text())
		c := client{&http.Client{}, url}
		status, msg, err := c.post("/events", event)
		require.NoError(t, err)
		require.Equal(t, http.StatusOK, status, msg)
		require.NoError(t, cmd.Process.Signal(sig))
		var rest []string
		for sc.Scan() {
			rest = append(rest, sc.Text())
		}
		require.NoError(t, cmd.Wait(), "exit status after %v", sig)
		require.Len(t, rest, 1)
		require.Contains(t, rest[0], "checkpoint written to "+ckpt)
		data, err := os.ReadFile(ckpt)
		require.NoError(t, err)
		var live chatkpi.LiveReport
		require.NoError(t, live.UnmarshalBinary(data))
		s, err := live.LiveSummary(clock())
		require.NoError(t, err)
		require.EqualValues(t, 1, s.Open.Conversations, "the open conversation survives, and the re-post after the restart is a duplicate")
	}
}

func TestPostRejects(t *testing.T) {
	b, err := newBackend(config{now: clock}, io.Discard)
	require.NoError(t, err)
	srv := httptest.NewServer(b)
	defer srv.Close()
	c := client{srv.Client(), srv.URL}
	chat := conversations(1)[0]
	ls := lines(t, chat)
	status, msg, err := c.post("/events", ls[0])
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, status, msg)

	conflicting := bytes.Replace(ls[1], []byte(`"conversation":"c00000"`), []byte(`"conversation":"c00000","channel":"email"`), 1)
	require.NotEqual(t, ls[1], conflicting)
	for name, tc := range map[string]struct {
		path   string
		body   []byte
		status int
		msg    string
	}{
		"empty":       {"/events", nil, http.StatusBadRequest, "no events"},
		"not JSON":    {"/events", []byte("hello\n"), http.StatusBadRequest, "line 1"},
		"bad line 2":  {"/events", append(slices.Clone(ls[2]), `{"conversation":"x"}`...), http.StatusBadRequest, "line 2"},
		"too large":   {"/events", bytes.Repeat([]byte(" "), maxBody+1), http.StatusRequestEntityTooLarge, "too large"},
		"conflict":    {"/events", append(slices.Clone(ls[2]), conflicting...), http.StatusUnprocessableEntity, `"accepted":1`},
		"close other": {"/conversations/nope/close", nil, http.StatusNotFound, "not an open conversation"},
	} {
		t.Run(name, func(t *testing.T) {
			status, msg, err := c.post(tc.path, tc.body)
			require.NoError(t, err)
			require.Equal(t, tc.status, status, msg)
			require.Contains(t, msg, tc.msg)
		})
	}
	status, msg, err = c.post("/conversations/c00000/close", nil)
	require.NoError(t, err)
	require.Equal(t, http.StatusNoContent, status, msg)
	status, msg, err = c.post("/events", ls[0])
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, status, "a re-post after the close is a duplicate: %s", msg)
	status, msg, err = c.post("/events", ls[3])
	require.NoError(t, err)
	require.Equal(t, http.StatusUnprocessableEntity, status, msg)
	require.Contains(t, msg, "closed")
	s := c.summary(t)
	require.EqualValues(t, 1, s.Closed.Overall.Conversations)
	require.EqualValues(t, 1, s.DuplicatesDropped)
}

// The served summary is at most -summary-every old: within the period a
// poll is answered from the copy, after it the summary is fresh.
func TestSummaryEvery(t *testing.T) {
	var now atomic.Int64
	now.Store(clock().UnixNano())
	b, err := newBackend(config{now: func() time.Time { return time.Unix(0, now.Load()).UTC() }, summaryEvery: time.Second}, io.Discard)
	require.NoError(t, err)
	srv := httptest.NewServer(b)
	defer srv.Close()
	c := client{srv.Client(), srv.URL}
	chats := conversations(2)
	post := func(ch *chatkpi.Chat) {
		status, msg, err := c.post("/events", lines(t, ch)[0])
		require.NoError(t, err)
		require.Equal(t, http.StatusOK, status, msg)
	}
	post(chats[0])
	require.EqualValues(t, 1, c.summary(t).Open.Conversations)
	post(chats[1])
	now.Add(int64(999 * time.Millisecond))
	require.EqualValues(t, 1, c.summary(t).Open.Conversations, "the copy, 999 ms old")
	now.Add(int64(time.Millisecond))
	require.EqualValues(t, 2, c.summary(t).Open.Conversations, "fresh after a second")
}

// FuzzPostEvents: any body gets an answer that says what happened, never a
// server error, and the service still answers afterwards.
func FuzzPostEvents(f *testing.F) {
	for _, l := range lines(f, conversations(1)[0]) {
		f.Add(l)
	}
	f.Add([]byte(`{"conversation":"c","time":"2026-11-23T09:00:00Z","role":"customer","type":"message","id":"1"}` + "\n" +
		`{"conversation":"c","time":"2026-11-23T09:00:00Z","role":"customer","type":"message","id":"1","channel":"x"}`))
	f.Add([]byte("\n\n"))
	f.Fuzz(func(t *testing.T, body []byte) {
		b, err := newBackend(config{now: clock}, io.Discard)
		if err != nil {
			t.Fatal(err)
		}
		for range 2 { // a second time: re-posts
			rec := httptest.NewRecorder()
			b.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/events", bytes.NewReader(body)))
			switch rec.Code {
			case http.StatusOK, http.StatusBadRequest, http.StatusUnprocessableEntity, http.StatusRequestEntityTooLarge:
			default:
				t.Fatalf("status %d: %s", rec.Code, rec.Body)
			}
			if !json.Valid(rec.Body.Bytes()) {
				t.Fatalf("not JSON: %q", rec.Body)
			}
		}
		rec := httptest.NewRecorder()
		b.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/summary", nil))
		if rec.Code != http.StatusOK {
			t.Fatalf("summary: %d %s", rec.Code, rec.Body)
		}
		rec = httptest.NewRecorder()
		b.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
		if rec.Code != http.StatusOK {
			t.Fatalf("metrics: %d %s", rec.Code, rec.Body)
		}
	})
}
