package chatkpi_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/chatkpi/chatkpi"
)

func ExampleCSAT() {
	var csat chatkpi.CSAT // 1–5, satisfied = 4–5, dissatisfied = 1–2
	for _, score := range []int{5, 4, 4, 3, 5, 2, 5, 4} {
		if err := csat.Add(score); err != nil {
			fmt.Println(err)
		}
	}
	_ = csat.AddSent(10)
	fmt.Println(csat.Add(6))

	r, err := csat.Result()
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("CSAT %s %% (95 %% CI %s–%s), net %s\n", chatkpi.FormatFloat(r.Percent, 2),
		chatkpi.FormatFloat(r.CI.Low, 1), chatkpi.FormatFloat(r.CI.High, 1), chatkpi.FormatFloat(r.Net, 1))
	fmt.Println("satisfied:", r.Satisfied)
	fmt.Println("mean:", chatkpi.FormatFloat(r.Mean.Value, 3))
	rate, _ := r.ResponseRate()
	fmt.Println("response rate:", rate)
	// Output:
	// chatkpi: score: 6 is outside the CSAT scale 1–5
	// CSAT 75.00 % (95 % CI 40.9–92.9), net 62.5
	// satisfied: 6/8 (75.00 %)
	// mean: 4.000
	// response rate: 8/10 (80.00 %)
}

func ExampleWithCSATScale() {
	// A thumbs-up / thumbs-down question: 1 is good, 0 is bad.
	thumbs, err := chatkpi.NewCSAT(chatkpi.WithCSATScale(0, 1))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, s := range []int{1, 1, 0, 1} {
		_ = thumbs.Add(s)
	}
	r, _ := thumbs.Result()
	fmt.Println(r.Satisfied, "net", r.Net)
	// Output: 3/4 (75.00 %) net 50
}

func ExampleNPS() {
	var nps chatkpi.NPS
	for score := 0; score <= 10; score++ { // one answer at each score
		_ = nps.Add(score)
	}
	r, _ := nps.Result()
	fmt.Printf("%d promoters, %d passives, %d detractors\n", r.Promoters, r.Passives, r.Detractors)
	fmt.Printf("NPS %s ± %s\n", chatkpi.FormatFloat(r.Score, 2), chatkpi.FormatFloat(chatkpi.Z95*r.SE, 2))
	// Output:
	// 2 promoters, 2 passives, 7 detractors
	// NPS -45.45 ± 46.21
}

func ExampleNPS_AddConversation() {
	at := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	chat := &chatkpi.Chat{Meta: chatkpi.Info{ID: "c42"}, Events: []chatkpi.Event{
		{Time: at, Type: chatkpi.SurveySent, Role: chatkpi.System, Survey: chatkpi.NPSSurvey},
		{Time: at.Add(time.Minute), Type: chatkpi.Rating, Role: chatkpi.Customer, Survey: chatkpi.NPSSurvey, Score: 12},
	}}
	var nps chatkpi.NPS
	fmt.Println(nps.AddConversation(chat))
	_, err := nps.Result()
	fmt.Println(errors.Is(err, chatkpi.ErrNoData))
	// Output:
	// chatkpi: conversation "c42": event 1: score: 12 is outside the nps scale 0–10
	// true
}

func ExampleCES() {
	var ces chatkpi.CES // CES 2.0: 1–7, higher is better, low effort = 5–7
	for _, s := range []int{7, 6, 5, 5, 3, 7, 2, 6} {
		_ = ces.Add(s)
	}
	r, _ := ces.Result()
	se, _ := r.Mean.StandardError()
	fmt.Println(r.Scale)
	fmt.Printf("mean %s (SE %s), low effort %s\n", chatkpi.FormatFloat(r.Mean.Value, 2),
		chatkpi.FormatFloat(se, 2), r.LowEffort)
	// Output:
	// CES 2.0 (1–7 agreement)
	// mean 5.13 (SE 0.64), low effort 6/8 (75.00 %)
}
