// Package servicenow converts the ServiceNow incident event log of the UCI
// data set "Incident management process enriched event log" (Amaral,
// Fantinato, Reijers and Peres, 2018, doi:10.24432/C57S4H, CC BY 4.0; a
// subset of 20,769 incidents in 119,998 rows is in testdata/ with its
// attribution) into chatkpi conversations, one per incident.
//
// Each row of the log is one update of one incident: its state after the
// update (incident_state), the update counter sys_mod_count and the minute
// it happened (sys_updated_at), with the incident's fields at that update.
// Times are d/m/yyyy hh:mm without a zone and are read as UTC; "?" is a
// missing value.
//
// # Conversion, field by field
//
// The rows of an incident are taken in sys_mod_count order (rows with the
// same count keep their file order). Info comes from the incident's last
// row, the values at export time:
//
//   - Info.ID is number; Info.Start is opened_at (the resolution clock
//     starts there, not at the first update);
//   - Info.Priority is priority as written ("1 - Critical" … "4 - Low"),
//     the priority at export time (319 incidents changed priority; their
//     count is in [Quirks].PriorityChanged);
//   - Info.Channel is contact_type in lower case ("phone", "email");
//   - Info.Customer is caller_id ("" when "?");
//   - Dims["assignment_group"] and Dims["category"] are those fields
//     (absent when "?").
//
// Events come from the changes of incident_state between consecutive rows
// (a row that keeps the state is a field update and gives no state event):
//
//   - a row whose assigned_to names someone other than the current assignee
//     gives a [chatkpi.Joined] by that agent, role System (ServiceNow
//     assigning the incident), before the row's state event;
//   - "Awaiting User Info" gives [chatkpi.Pending]: the incident waits on
//     the caller;
//   - "Awaiting Vendor", "Awaiting Problem" and "Awaiting Evidence" give
//     [chatkpi.OnHold]: it waits on a third party (from one of them to
//     another it stays on hold: no event);
//   - "Active" (or "New") after an Awaiting state gives [chatkpi.Opened];
//     "New" → "Active" is the incident being worked on and gives no event;
//   - "Resolved" gives [chatkpi.Resolved];
//   - any open state ("New", "Active", "Awaiting …") after "Resolved" or
//     "Closed" gives [chatkpi.Reopened] (role System: the log does not say
//     who reopened), then the event of the new state if it has one. This
//     is ServiceNow's reopen_count: the converted reopens agree with it on
//     every incident of the data set;
//   - "Closed" gives no event: ServiceNow closes resolved incidents on a
//     timer (about five days later here), an administrative step after the
//     resolution, not a state of the conversation.
//
// Pending, OnHold, Opened and Resolved have role Agent with Agent the
// current assignee (assigned_to) when there is one, otherwise role System.
//
// Every change into "Resolved" gives a Resolved event, except that the
// incident's final resolution (the last Resolved not followed by a reopen)
// is ServiceNow's own resolved_at, the field its resolution times are
// computed from. Three adjustments follow, each counted in [Quirks]:
//
//   - the final Resolved event is moved to resolved_at when that is later
//     (266 incidents): ServiceNow stamps resolved_at again when a resolved
//     incident is updated as resolved (INC0000045: Resolved at 08:53, a
//     Resolved → Resolved update and resolved_at at 11:29)
//     (ResolutionMoved);
//   - a Resolved event is added at resolved_at when the history does not
//     end resolved (2 incidents: one whose last exported row is New, one
//     whose Resolved row is out of order) (ResolutionAdded);
//   - the final Resolved event is dropped when there is no resolved_at
//     (1,415 incidents, every one inserted already resolved — sys_mod_count
//     0 in state Resolved — and never stamped: a record logged after the
//     fact, whose resolution has no time; counting it as resolved in the
//     minute it was logged would be a resolution time the log does not
//     have) (ResolvedWithoutTime). One of them, INC0011848, was reopened
//     and resolved again, still without a resolved_at: it keeps its first
//     resolution and its reopen, and ends open.
//
// So the conversations that end resolved are exactly the 19,351 incidents
// with a resolved_at, resolved at resolved_at, and the reopened ones the
// 234 with a reopen_count above 0.
//
// A row with a state outside the list above (the log has two rows with
// state "-100") is skipped (UnknownState), and so is a row whose
// sys_updated_at is before opened_at or before the previous kept row's,
// whose place in the history the log cannot tell (OutOfOrder: 7 rows of
// 6 incidents). Every other problem is an
// error naming the line, the incident and the field.
//
// ServiceNow's own SLA verdict, made_sla of the last row, is kept apart
// from the conversation in [Log].MadeSLA: it is what a chatkpi SLA policy
// is compared with, not an input.
package servicenow

import (
	"archive/zip"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/chatkpi/chatkpi"
)

// MasterFile is the name of the full log inside the data set's zip file.
const MasterFile = "Master_Ticket_Dataset.csv"

// Header returns the exact header line of the log that [Load] reads.
func Header() []string {
	return []string{
		"number", "incident_state", "active", "reassignment_count", "reopen_count", "sys_mod_count", "made_sla",
		"caller_id", "opened_by", "opened_at", "sys_created_by", "sys_created_at", "sys_updated_by", "sys_updated_at",
		"contact_type", "location", "category", "subcategory", "u_symptom", "cmdb_ci", "impact", "urgency", "priority",
		"assignment_group", "assigned_to", "knowledge", "u_priority_confirmation", "notify", "problem_id", "rfc",
		"vendor", "caused_by", "closed_code", "resolved_by", "resolved_at", "closed_at",
	}
}

const (
	colNumber, colState, colReopenCount, colModCount, colMadeSLA, colCaller = 0, 1, 4, 5, 6, 7
	colOpenedAt, colUpdatedAt, colContactType, colCategory, colPriority     = 9, 13, 14, 16, 22
	colGroup, colAssignedTo, colResolvedAt                                  = 23, 24, 34
)

// timeLayout is the log's time format: day first, minute resolution.
const timeLayout = "2/1/2006 15:04"

// missing is the log's missing value.
const missing = "?"

// Log is the converted log.
type Log struct {
	// Incidents are the conversations, one per incident in the order of
	// their first row. Each passes [chatkpi.Validate].
	Incidents []*chatkpi.Chat
	// MadeSLA is ServiceNow's made_sla of each incident's last row,
	// parallel to Incidents.
	MadeSLA []bool
	// ReopenCount is ServiceNow's reopen_count of each incident's last
	// row, parallel to Incidents.
	ReopenCount []int
	// Quirks counts the rows and incidents the conversion treated apart.
	Quirks Quirks
}

// Quirks counts what the conversion treated apart (see the package doc).
type Quirks struct {
	Rows      int // data rows read
	Incidents int // incidents converted
	// UnknownState rows have a state outside ServiceNow's incident states
	// and were skipped.
	UnknownState int
	// OutOfOrder rows are dated before their incident's opened_at or its
	// previous kept row and were skipped.
	OutOfOrder int
	// ResolvedWithoutTime incidents have a Resolved row but no resolved_at
	// and count as not resolved.
	ResolvedWithoutTime int
	// ResolutionMoved incidents had their final Resolved event moved to
	// the later resolved_at (a resolved incident resolved again).
	ResolutionMoved int
	// ResolutionAdded incidents got a Resolved event at resolved_at that no
	// Resolved row gave.
	ResolutionAdded int
	// PriorityChanged incidents have more than one priority in their rows;
	// Info.Priority is the last one.
	PriorityChanged int
}

// state is an incident state of the log.
type state uint8

const (
	stNew state = iota + 1
	stActive
	stAwaitingUser // pending: waits on the caller
	stAwaitingOther
	stResolved
	stClosed
)

func parseState(s string) (state, bool) {
	switch s {
	case "New":
		return stNew, true
	case "Active":
		return stActive, true
	case "Awaiting User Info":
		return stAwaitingUser, true
	case "Awaiting Vendor", "Awaiting Problem", "Awaiting Evidence":
		return stAwaitingOther, true
	case "Resolved":
		return stResolved, true
	case "Closed":
		return stClosed, true
	}
	return 0, false
}

// row is one parsed row.
type row struct {
	line    int
	mod     int
	state   state
	known   bool // state is one of ServiceNow's
	updated time.Time
	agent   string // assigned_to, "" when missing
	rec     []string
}

// LoadFile reads the log at path: the data set's zip file (its
// [MasterFile] is read) or the CSV itself. Errors start with the path.
func LoadFile(path string) (*Log, error) {
	if strings.EqualFold(filepath.Ext(path), ".zip") {
		zr, err := zip.OpenReader(path)
		if err != nil {
			return nil, err
		}
		defer zr.Close()
		f, err := zr.Open(MasterFile)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		defer f.Close()
		l, err := Load(f)
		if err != nil {
			return nil, fmt.Errorf("%s: %s: %w", path, MasterFile, err)
		}
		return l, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	l, err := Load(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return l, nil
}

// Load reads the log (the CSV with its header line) and converts it.
// Errors wrap [chatkpi.ErrInvalid] and are [*chatkpi.InputError] values
// with the 1-based line, the incident and the column.
func Load(r io.Reader) (*Log, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = len(Header())
	head, err := cr.Read()
	if err != nil {
		return nil, csvError(err)
	}
	for i, h := range Header() {
		if head[i] != h {
			return nil, &chatkpi.InputError{Line: 1, Event: -1, Field: column(i), Reason: fmt.Sprintf("header is %q, want %q", head[i], h)}
		}
	}
	var order []string
	rows := map[string][]row{}
	log := &Log{}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, csvError(err)
		}
		line, _ := cr.FieldPos(0)
		log.Quirks.Rows++
		rw, err := parseRow(rec, line)
		if err != nil {
			return nil, err
		}
		id := rec[colNumber]
		if _, ok := rows[id]; !ok {
			order = append(order, id)
		}
		rows[id] = append(rows[id], rw)
	}
	for _, id := range order {
		c, made, reopens, err := convert(id, rows[id], &log.Quirks)
		if err != nil {
			return nil, err
		}
		log.Incidents = append(log.Incidents, c)
		log.MadeSLA = append(log.MadeSLA, made)
		log.ReopenCount = append(log.ReopenCount, reopens)
	}
	log.Quirks.Incidents = len(log.Incidents)
	return log, nil
}

func column(i int) string { return fmt.Sprintf("%s (column %d)", Header()[i], i+1) }

func csvError(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return &chatkpi.InputError{Line: pe.Line, Event: -1, Field: fmt.Sprintf("column %d", pe.Column), Reason: pe.Err.Error()}
	}
	return &chatkpi.InputError{Line: 1, Event: -1, Reason: err.Error()}
}

// fieldError is the error about column col of the row at line of incident id.
func fieldError(line int, id string, col int, format string, args ...any) error {
	return &chatkpi.InputError{Line: line, Conversation: id, Event: -1, Field: column(col), Reason: fmt.Sprintf(format, args...)}
}

// parseTime reads a time of the log in UTC.
func parseTime(s string) (time.Time, bool) {
	t, err := time.ParseInLocation(timeLayout, s, time.UTC)
	return t, err == nil
}

func parseRow(rec []string, line int) (row, error) {
	id := rec[colNumber]
	if id == "" || id == missing {
		return row{}, fieldError(line, "", colNumber, "missing incident number")
	}
	rw := row{line: line, rec: slices.Clone(rec)}
	var err error
	if rw.mod, err = strconv.Atoi(rec[colModCount]); err != nil || rw.mod < 0 {
		return row{}, fieldError(line, id, colModCount, "%q is not an update count", rec[colModCount])
	}
	rw.state, rw.known = parseState(rec[colState])
	var ok bool
	if rw.updated, ok = parseTime(rec[colUpdatedAt]); !ok {
		return row{}, fieldError(line, id, colUpdatedAt, "%q is not a time d/m/yyyy hh:mm", rec[colUpdatedAt])
	}
	if a := rec[colAssignedTo]; a != missing {
		rw.agent = a
	}
	return rw, nil
}

// convert turns the rows of incident id into a conversation; it returns
// made_sla and reopen_count of the last row too.
func convert(id string, rows []row, q *Quirks) (*chatkpi.Chat, bool, int, error) {
	slices.SortStableFunc(rows, func(a, b row) int { return a.mod - b.mod })
	last := rows[len(rows)-1]
	lr := last.rec
	fail := func(col int, format string, args ...any) error {
		return fieldError(last.line, id, col, format, args...)
	}
	opened, ok := parseTime(lr[colOpenedAt])
	if !ok {
		return nil, false, 0, fail(colOpenedAt, "%q is not a time d/m/yyyy hh:mm", lr[colOpenedAt])
	}
	var resolvedAt time.Time
	if s := lr[colResolvedAt]; s != missing {
		if resolvedAt, ok = parseTime(s); !ok {
			return nil, false, 0, fail(colResolvedAt, "%q is not a time d/m/yyyy hh:mm", s)
		}
		if resolvedAt.Before(opened) {
			return nil, false, 0, fail(colResolvedAt, "%s is before opened_at %s", s, lr[colOpenedAt])
		}
	}
	var made bool
	switch lr[colMadeSLA] {
	case "true":
		made = true
	case "false":
	default:
		return nil, false, 0, fail(colMadeSLA, "%q is not true or false", lr[colMadeSLA])
	}
	reopens, err := strconv.Atoi(lr[colReopenCount])
	if err != nil || reopens < 0 {
		return nil, false, 0, fail(colReopenCount, "%q is not a count", lr[colReopenCount])
	}
	priority := lr[colPriority]
	if priority == missing || priority == "" {
		return nil, false, 0, fail(colPriority, "missing priority")
	}
	info := chatkpi.Info{ID: id, Start: opened, Priority: priority, Channel: strings.ToLower(lr[colContactType])}
	if info.Channel == missing {
		info.Channel = ""
	}
	if c := lr[colCaller]; c != missing {
		info.Customer = c
	}
	for _, d := range []struct {
		name string
		col  int
	}{{"assignment_group", colGroup}, {"category", colCategory}} {
		if v := lr[d.col]; v != missing && v != "" {
			if info.Dims == nil {
				info.Dims = map[string]string{}
			}
			info.Dims[d.name] = v
		}
	}

	events := make([]chatkpi.Event, 0, len(rows)+2)
	cur := stNew // every incident starts new
	assignee := ""
	prev := opened // no row before the incident was opened
	priorityChanged := false
	by := func(t time.Time, typ chatkpi.EventType) chatkpi.Event {
		if assignee != "" {
			return chatkpi.Event{Time: t, Type: typ, Role: chatkpi.Agent, Agent: assignee}
		}
		return chatkpi.Event{Time: t, Type: typ, Role: chatkpi.System}
	}
	for _, rw := range rows {
		if rw.rec[colPriority] != priority {
			priorityChanged = true
		}
		if !rw.known {
			q.UnknownState++
			continue
		}
		if rw.updated.Before(prev) {
			q.OutOfOrder++
			continue
		}
		prev = rw.updated
		t := rw.updated
		if rw.agent != "" && rw.agent != assignee {
			assignee = rw.agent
			events = append(events, chatkpi.Event{Time: t, Type: chatkpi.Joined, Role: chatkpi.System, Agent: assignee})
		}
		s := rw.state
		if s == cur {
			continue
		}
		closed := cur == stResolved || cur == stClosed
		switch s {
		case stResolved:
			if !closed {
				events = append(events, by(t, chatkpi.Resolved))
			}
		case stClosed:
			// Administrative: no event (see the package doc).
		default: // an open state
			if closed {
				events = append(events, chatkpi.Event{Time: t, Type: chatkpi.Reopened, Role: chatkpi.System})
			}
			switch {
			case s == stAwaitingUser:
				events = append(events, by(t, chatkpi.Pending))
			case s == stAwaitingOther && cur != stAwaitingOther:
				events = append(events, by(t, chatkpi.OnHold))
			case (s == stActive || s == stNew) && (cur == stAwaitingUser || cur == stAwaitingOther):
				events = append(events, by(t, chatkpi.Opened))
			}
		}
		// Resolved → Closed keeps the incident closed for the reopen rule;
		// Closed without a resolution is closed too.
		cur = s
	}
	if priorityChanged {
		q.PriorityChanged++
	}
	if events, err = finalResolution(events, resolvedAt, q); err != nil {
		return nil, false, 0, fail(colResolvedAt, "%s: %v", lr[colResolvedAt], err)
	}
	ch := &chatkpi.Chat{Meta: info, Events: events}
	if err := chatkpi.Validate(ch); err != nil {
		return nil, false, 0, err
	}
	return ch, made, reopens, nil
}

// finalResolution makes the final resolution of the events ServiceNow's
// resolved_at (zero: none), see the package doc.
func finalResolution(events []chatkpi.Event, resolvedAt time.Time, q *Quirks) ([]chatkpi.Event, error) {
	k := lastResolution(events)
	switch {
	case resolvedAt.IsZero():
		if k >= 0 {
			q.ResolvedWithoutTime++
			events = slices.Delete(events, k, k+1)
		}
		return events, nil
	case k >= 0 && events[k].Time.Equal(resolvedAt):
		return events, nil
	case k >= 0 && events[k].Time.After(resolvedAt):
		return nil, fmt.Errorf("the last resolution in the history, %s, is later", events[k].Time.Format(timeLayout))
	}
	e := chatkpi.Event{Time: resolvedAt, Type: chatkpi.Resolved, Role: chatkpi.System}
	if k >= 0 {
		e = events[k]
		e.Time = resolvedAt
		events = slices.Delete(events, k, k+1)
		q.ResolutionMoved++
	} else {
		q.ResolutionAdded++
	}
	// After every event up to resolved_at; only assignments may follow.
	at := len(events)
	for at > 0 && events[at-1].Time.After(resolvedAt) {
		at--
		if events[at].Type != chatkpi.Joined {
			return nil, fmt.Errorf("a %s at %s follows resolved_at in the history", events[at].Type, events[at].Time.Format(timeLayout))
		}
	}
	return slices.Insert(events, at, e), nil
}

// lastResolution returns the index of the last Resolved event when no
// Reopened follows it, else −1.
func lastResolution(ev []chatkpi.Event) int {
	for i := len(ev) - 1; i >= 0; i-- {
		switch ev[i].Type {
		case chatkpi.Resolved:
			return i
		case chatkpi.Reopened:
			return -1
		}
	}
	return -1
}
