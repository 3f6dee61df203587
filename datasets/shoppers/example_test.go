package shoppers_test

import (
	"fmt"
	"os"
	"time"

	"github.com/chatkpi/chatkpi"
	"github.com/chatkpi/chatkpi/datasets/shoppers"
)

func Example() {
	f, err := os.Open("testdata/online_shoppers_intention.csv")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer f.Close()
	sessions, err := shoppers.Read(f)
	if err != nil {
		fmt.Println(err)
		return
	}
	var byVisitor chatkpi.ConversionByGroup
	for _, s := range sessions {
		if err := byVisitor.Add(s.VisitorType, time.Time{}, s.Revenue); err != nil {
			fmt.Println(err)
			return
		}
	}
	total, _ := byVisitor.Total()
	fmt.Println("all:", total.Rate)
	groups, _ := byVisitor.Groups()
	for _, g := range groups {
		fmt.Println(g.Key+":", g.Rate)
	}
	// Output:
	// all: 1908/12330 (15.47 %)
	// New_Visitor: 422/1694 (24.91 %)
	// Other: 16/85 (18.82 %)
	// Returning_Visitor: 1470/10551 (13.93 %)
}
