package telco_test

import (
	"fmt"
	"os"

	"github.com/chatkpi/chatkpi"
	"github.com/chatkpi/chatkpi/datasets/telco"
)

func Example() {
	f, err := os.Open("testdata/Telco-Customer-Churn.csv")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer f.Close()
	customers, err := telco.Read(f)
	if err != nil {
		fmt.Println(err)
		return
	}
	var churn chatkpi.ChurnByGroup
	for _, c := range customers {
		churn.Add(c.Contract, c.Churn)
	}
	total, _ := churn.Total()
	fmt.Println("all:", total)
	groups, _ := churn.Groups()
	for _, g := range groups {
		fmt.Println(g.Key+":", g.Churn)
	}
	// Output:
	// all: 1869/7043 (26.54 %)
	// Month-to-month: 1655/3875 (42.71 %)
	// One year: 166/1473 (11.27 %)
	// Two year: 48/1695 (2.83 %)
}
