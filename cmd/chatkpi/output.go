package main

import "strings"

// title names the report after its inputs: smp when there are no args.
func title(args []string, smp *embeddedSample) string {
	if len(args) == 0 && smp != nil {
		return smp.title
	}
	names := make([]string, len(args))
	for i, a := range args {
		if a == "-" {
			a = "standard input"
		}
		names[i] = a
	}
	return "chatkpi report: " + strings.Join(names, ", ")
}
