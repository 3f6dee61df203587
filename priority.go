package chatkpi

import (
	"slices"
	"strings"
)

// MaxPriorities is the capacity of [ReportSettings].Priorities.
const MaxPriorities = 8

// priorityConfig resolves [ReportSettings].Priorities: its used entries,
// checked to be non-empty and distinct.
func priorityConfig(list *[MaxPriorities]string) ([]string, error) {
	n, err := usedEntries("priorities", list[:])
	if err != nil {
		return nil, err
	}
	ps := list[:n]
	for i, p := range ps {
		if slices.Contains(ps[:i], p) {
			return nil, invalidf("priorities", "%q is listed twice", p)
		}
	}
	return slices.Clone(ps), nil
}

// checkPriority returns the error about a conversation whose priority is
// not one of the list, or nil: any priority without a list, and "" (no
// priority) always.
func checkPriority(list []string, info *Info) error {
	if len(list) == 0 || info.Priority == "" { // inlined: most reports and conversations
		return nil
	}
	return checkListedPriority(list, info)
}

func checkListedPriority(list []string, info *Info) error {
	if slices.Contains(list, info.Priority) {
		return nil
	}
	return &InputError{Conversation: info.ID, Event: -1, Field: "priority",
		Reason: "\"" + info.Priority + "\" is not one of the priorities " + strings.Join(list, ", ") + " (ReportSettings.Priorities, -priorities)"}
}

// comparePriorities orders two priorities by their place in the list, ""
// (none) and any value not listed after the listed ones, by name among
// themselves; without a list, by name.
func comparePriorities(list []string, a, b string) int {
	rank := func(p string) int {
		if i := slices.Index(list, p); i >= 0 {
			return i
		}
		return len(list)
	}
	if c := rank(a) - rank(b); c != 0 {
		return c
	}
	return strings.Compare(a, b)
}
