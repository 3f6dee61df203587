package chatkpi_test

import (
	"fmt"
	"time"

	"github.com/chatkpi/chatkpi"
)

// outcExampleChat builds a conversation from (minute, type, role) steps after
// 9:00 UTC on 2 March 2026; agent steps name "ana".
func outcExampleChat(id, customer string, steps ...any) *chatkpi.Chat {
	t0 := time.Date(2026, time.March, 2, 9, 0, 0, 0, time.UTC)
	c := &chatkpi.Chat{Meta: chatkpi.Info{ID: id, Customer: customer, Source: "pricing"}}
	for i := 0; i+2 < len(steps); i += 3 {
		e := chatkpi.Event{
			Time: t0.Add(time.Duration(steps[i].(int)) * time.Minute),
			Type: steps[i+1].(chatkpi.EventType), Role: steps[i+2].(chatkpi.Role),
		}
		if e.Role == chatkpi.Agent {
			e.Agent = "ana"
		}
		c.Events = append(c.Events, e)
	}
	return c
}

func ExampleClassify() {
	c := outcExampleChat("c1", "cust-1",
		0, chatkpi.Message, chatkpi.Customer,
		1, chatkpi.Message, chatkpi.Bot,
		2, chatkpi.Handoff, chatkpi.Bot,
		5, chatkpi.Message, chatkpi.Agent,
		9, chatkpi.Resolved, chatkpi.Agent)
	o, err := chatkpi.Classify(c)
	fmt.Println(o, err)
	// Output: escalated <nil>
}

func ExampleOutcomes() {
	var o chatkpi.Outcomes
	for _, c := range []*chatkpi.Chat{
		outcExampleChat("bot", "a", 0, chatkpi.Message, chatkpi.Customer, 1, chatkpi.Message, chatkpi.Bot, 2, chatkpi.Resolved, chatkpi.Bot),
		outcExampleChat("bot-again", "a", 60, chatkpi.Message, chatkpi.Customer, 61, chatkpi.Message, chatkpi.Bot, 62, chatkpi.Resolved, chatkpi.Bot),
		outcExampleChat("agent", "b", 0, chatkpi.Message, chatkpi.Customer, 3, chatkpi.Message, chatkpi.Agent, 4, chatkpi.Resolved, chatkpi.Agent),
		outcExampleChat("escalated", "c", 0, chatkpi.Message, chatkpi.Customer, 1, chatkpi.Handoff, chatkpi.Bot),
		outcExampleChat("silent", "d", 0, chatkpi.Message, chatkpi.Bot),
	} {
		if err := o.AddConversation(c); err != nil {
			fmt.Println(err)
			return
		}
	}
	s, err := o.Result()
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%+v\n", s.Counts)
	fmt.Println("containment:", s.Containment)
	fmt.Println("escalation:", s.Escalation)
	fmt.Println("completion:", s.Completion)
	// "bot" was followed by another contact of customer a within 24 h.
	fmt.Println("successful chats:", s.SuccessfulChat)
	iv, _ := s.Containment.Wilson(chatkpi.Z95)
	fmt.Printf("containment 95 %% interval: %s–%s %%\n", chatkpi.FormatFloat(100*iv.Low, 1), chatkpi.FormatFloat(100*iv.High, 1))
	// Output:
	// {Unengaged:1 Escalated:1 ResolvedByBot:2 ResolvedByAgent:1 Abandoned:0}
	// containment: 2/4 (50.00 %)
	// escalation: 1/4 (25.00 %)
	// completion: 3/4 (75.00 %)
	// successful chats: 2/4 (50.00 %)
	// containment 95 % interval: 15.0–85.0 %
}

func ExampleBotQuality() {
	helpful := chatkpi.Event{Time: time.Date(2026, 3, 2, 9, 2, 0, 0, time.UTC), Type: chatkpi.Feedback, Role: chatkpi.Customer, Helpful: true}
	c := outcExampleChat("c1", "a",
		0, chatkpi.Message, chatkpi.Customer,
		1, chatkpi.Message, chatkpi.Bot)
	c.Events = append(c.Events, helpful)
	more := outcExampleChat("c2", "a",
		3, chatkpi.Message, chatkpi.Customer,
		4, chatkpi.Fallback, chatkpi.Bot,
		5, chatkpi.Message, chatkpi.Bot)
	c.Events = append(c.Events, more.Events...)
	var q chatkpi.BotQuality
	if err := q.AddConversation(c); err != nil {
		fmt.Println(err)
		return
	}
	r, _ := q.Result()
	fmt.Println("accuracy:", r.Accuracy)
	fmt.Println("fallback rate:", r.Fallback)
	// Output:
	// accuracy: 1/1 (100.00 %)
	// fallback rate: 1/3 (33.33 %)
}

func ExampleVolume() {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		fmt.Println(err)
		return
	}
	ps, _ := chatkpi.NewPeriods(berlin, time.Sunday)
	v, _ := chatkpi.NewVolume(chatkpi.VolumeSettings{Periods: ps, GroupBy: chatkpi.GroupBySource()})
	// 23:30 UTC is already the next day in Berlin.
	late := outcExampleChat("late", "a", 14*60+30, chatkpi.Message, chatkpi.Customer, 14*60+31, chatkpi.Message, chatkpi.Bot, 14*60+32, chatkpi.Resolved, chatkpi.Bot)
	early := outcExampleChat("early", "b", 0, chatkpi.Message, chatkpi.Customer)
	early.Meta.Source = "help"
	for _, c := range []*chatkpi.Chat{late, early} {
		if err := v.AddConversation(c); err != nil {
			fmt.Println(err)
			return
		}
	}
	rows, _ := v.Result(chatkpi.Day)
	for _, r := range rows {
		fmt.Println(r.Label, r.Group, r.Conversations, r.Messages, r.Resolutions)
	}
	// Output:
	// 2026-03-02 help 1 1 0
	// 2026-03-03 pricing 1 2 1
}

func ExampleAgents() {
	var a chatkpi.Agents
	for _, c := range []*chatkpi.Chat{
		outcExampleChat("c1", "a", 0, chatkpi.Message, chatkpi.Customer, 1, chatkpi.Joined, chatkpi.Agent, 2, chatkpi.Message, chatkpi.Agent, 31, chatkpi.Resolved, chatkpi.Agent),
		outcExampleChat("c2", "b", 10, chatkpi.Message, chatkpi.Customer, 11, chatkpi.Message, chatkpi.Agent, 21, chatkpi.Left, chatkpi.Customer),
	} {
		if err := a.AddConversation(c); err != nil {
			fmt.Println(err)
			return
		}
	}
	stats, _ := a.Result()
	for _, s := range stats {
		avg, _ := s.AverageConcurrency()
		fmt.Printf("%s: %d conversations, %d messages, at most %d at once, %s on average\n",
			s.Agent, s.Conversations, s.Messages, s.MaxConcurrent, chatkpi.FormatFloat(avg, 2))
	}
	// Output: ana: 2 conversations, 2 messages, at most 2 at once, 1.33 on average
}

func ExampleHandlingAgent() {
	c := outcExampleChat("c1", "a",
		0, chatkpi.Message, chatkpi.Customer,
		1, chatkpi.Joined, chatkpi.Agent,
		5, chatkpi.SurveySent, chatkpi.System)
	fmt.Printf("%q %q\n", chatkpi.HandlingAgent(c.Events, 0), chatkpi.HandlingAgent(c.Events, 2))
	// Output: "" "ana"
}

func ExamplePresence_Availability() {
	at := func(h int) time.Time { return time.Date(2026, time.March, 2, h, 0, 0, 0, time.UTC) }
	var p chatkpi.Presence
	for _, e := range []chatkpi.Event{
		{Time: at(8), Type: chatkpi.Online, Role: chatkpi.Agent, Agent: "ana"},
		{Time: at(12), Type: chatkpi.Online, Role: chatkpi.Agent, Agent: "bo"},
		{Time: at(16), Type: chatkpi.Offline, Role: chatkpi.Agent, Agent: "ana"},
	} {
		if err := p.Add(e); err != nil {
			fmt.Println(err)
			return
		}
	}
	// bo is still online: count until 20:00.
	days, _ := p.Availability(chatkpi.Periods{}, at(20))
	for _, d := range days {
		fmt.Println(d.Label, d.Hours(), "hours")
	}
	// Output: 2026-03-02 12 hours
}
