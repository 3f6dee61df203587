package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/chatkpi/chatkpi"
	"github.com/stretchr/testify/require"
)

// conversation i: a customer writes and an agent answers (i mod 10) + 1
// seconds later, so the 200 first response times are 1 … 10 s, 20 of each:
// mean 5.5 s.
func conversation(t *testing.T, i int) []byte {
	t.Helper()
	return eventFile(t, chat(i))
}

func chat(i int) *chatkpi.Chat {
	at := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Minute)
	return &chatkpi.Chat{
		Meta: chatkpi.Info{ID: fmt.Sprintf("c%03d", i), Customer: fmt.Sprintf("u%03d", i), Channel: "chat"},
		Events: []chatkpi.Event{
			{Time: at, Type: chatkpi.Message, Role: chatkpi.Customer},
			{Time: at.Add(time.Duration(i%10+1) * time.Second), Type: chatkpi.Message, Role: chatkpi.Agent, Agent: "ana"},
		},
	}
}

// eventFile returns c as a JSON Lines event file.
func eventFile(t *testing.T, c *chatkpi.Chat) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := chatkpi.NewJSONLWriter(&buf)
	require.NoError(t, w.WriteConversation(c))
	require.NoError(t, w.Flush())
	return buf.Bytes()
}

func post(client *http.Client, url string, body []byte) (int, string, error) {
	resp, err := client.Post(url+"/conversations", "application/jsonl", bytes.NewReader(body))
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), err
}

func getReport(t *testing.T, client *http.Client, url string) (int, []byte) {
	t.Helper()
	resp, err := client.Get(url + "/report")
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, b
}

func TestConcurrentPosts(t *testing.T) {
	const conversations, workers = 200, 16
	b, err := newBackend(reportSettings())
	require.NoError(t, err)
	srv := httptest.NewServer(b) // loopback only
	defer srv.Close()
	client := srv.Client()

	status, body := getReport(t, client, srv.URL)
	require.Equal(t, http.StatusNotFound, status, "no data is not a report of zeros")
	require.JSONEq(t, `{"error":"no conversations yet"}`, string(body))

	bodies := make([][]byte, conversations)
	for i := range bodies {
		bodies[i] = conversation(t, i)
	}
	jobs := make(chan []byte)
	errs := make(chan error, conversations)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for body := range jobs {
				status, msg, err := post(client, srv.URL, body)
				if err == nil && status != http.StatusNoContent {
					err = fmt.Errorf("status %d: %s", status, msg)
				}
				if err != nil {
					errs <- err
				}
			}
		}()
	}
	for i, body := range bodies {
		jobs <- body
		if i%50 == 0 { // read while writing: the report is shared
			status, _ := getReport(t, client, srv.URL)
			require.Contains(t, []int{http.StatusOK, http.StatusNotFound}, status)
		}
	}
	close(jobs)
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}

	status, body = getReport(t, client, srv.URL)
	require.Equal(t, http.StatusOK, status, string(body))
	var s chatkpi.Summary
	require.NoError(t, json.Unmarshal(body, &s))
	require.EqualValues(t, conversations, s.Overall.Conversations)
	frt := s.Overall.FirstResponseTime
	require.NotNil(t, frt)
	require.EqualValues(t, conversations, frt.Count)
	require.NotNil(t, frt.MeanSeconds)
	require.InDelta(t, 5.5, *frt.MeanSeconds, 1e-9) // exact in both modes
	require.Equal(t, "streaming", s.Percentiles)
	require.NotNil(t, frt.P50Seconds)
	require.InDelta(t, 5.5, *frt.P50Seconds, 0.01*5.5) // the exact p50 is 5.5 s; the sketch is within 1 %
}

func TestPostRejects(t *testing.T) {
	b, err := newBackend(chatkpi.ReportSettings{})
	require.NoError(t, err)
	srv := httptest.NewServer(b)
	defer srv.Close()
	client := srv.Client()

	two := append(conversation(t, 1), conversation(t, 2)...)
	// A CSAT answer of 9 is a valid event (0–10 fits some scale) that the
	// report's default 1–5 CSAT scale rejects: the whole conversation is
	// refused.
	offScale := chat(3)
	last := offScale.Events[1]
	offScale.Events = append(offScale.Events, chatkpi.Event{Time: last.Time, Type: chatkpi.Rating,
		Role: chatkpi.Customer, Survey: chatkpi.CSATSurvey, Score: 9})
	for name, tc := range map[string]struct {
		body   []byte
		status int
		msg    string
	}{
		"empty":          {nil, http.StatusBadRequest, "0 conversations"},
		"two":            {two, http.StatusBadRequest, "2 conversations"},
		"not JSON":       {[]byte("hello\n"), http.StatusBadRequest, "line 1"},
		"CSAT off scale": {eventFile(t, offScale), http.StatusBadRequest, "c003"},
		"too large":      {bytes.Repeat([]byte(" "), maxBody+1), http.StatusRequestEntityTooLarge, "too large"},
	} {
		t.Run(name, func(t *testing.T) {
			status, msg, err := post(client, srv.URL, tc.body)
			require.NoError(t, err)
			require.Equal(t, tc.status, status, msg)
			require.Contains(t, msg, tc.msg)
		})
	}
	status, _ := getReport(t, client, srv.URL)
	require.Equal(t, http.StatusNotFound, status, "a rejected conversation is not recorded")

	status, msg, err := post(client, srv.URL, conversation(t, 4))
	require.NoError(t, err)
	require.Equal(t, http.StatusNoContent, status, msg)
	status, body := getReport(t, client, srv.URL)
	require.Equal(t, http.StatusOK, status)
	require.Contains(t, string(body), `"conversations":1`)
}

func TestRunShutsDown(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	var out bytes.Buffer
	done := make(chan error, 1)
	go func() { done <- run(ctx, &out, ln) }()

	resp, err := http.Get("http://" + ln.Addr().String() + "/report")
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusNotFound, resp.StatusCode)

	cancel()
	select {
	case err := <-done:
		require.NoError(t, err)
	case <-time.After(10 * time.Second):
		t.Fatal("run did not return after cancel")
	}
	require.Equal(t, "listening on http://"+ln.Addr().String()+"\n", out.String())
}
