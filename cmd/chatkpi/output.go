package main

import "strings"

// title names the report after its inputs.
func title(args []string) string {
	if len(args) == 0 {
		return "chatkpi report: Twitter customer care (sample)"
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
