package chatkpi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"unicode/utf8"
)

// Mapping adapts the field names and values of another export to the event
// file format (see [Record]), so that it can be read as it is: give it to a
// reader with [MapFields]. The zero Mapping changes nothing. As a JSON
// document (see [ParseMapping]):
//
//	{
//	  "rename": {"created_at": "time", "conversation_id": "conversation", "language": "dim.lang"},
//	  "values": {"role": {"incoming": "customer", "outgoing": "agent", "0": "customer"}},
//	  "ignore": ["text", "message_id"],
//	  "ignore_unknown": false,
//	  "ignore_inapplicable": false
//	}
//
// A mapping is applied to each line before the format's rules, which then
// hold as without one: a renamed field is checked as the field it becomes,
// and two input fields renamed to one field on the same line are that field
// given twice.
type Mapping struct {
	// Rename maps the name of an input field (a JSON key, a CSV column) to a
	// field of the format, or to "dim.NAME" for a dimension; an input field
	// named like a field of the format and not renamed is that field.
	Rename map[string]string `json:"rename,omitempty"`
	// Values maps, per field of the format (a renamed field by its new name),
	// an input value to the value of the format: "" is an absent value. In
	// JSON Lines the input value is the string, or the text of a number or
	// boolean ("0", "true"); a value not in the map is read as it is.
	// Dimensions and dims are not mapped.
	Values map[string]map[string]string `json:"values,omitempty"`
	// Ignore names input fields to drop, whatever their values.
	Ignore []string `json:"ignore,omitempty"`
	// IgnoreUnknown drops every input field that is not a field of the format
	// after renaming, instead of rejecting its line (the default).
	IgnoreUnknown bool `json:"ignore_unknown,omitempty"`
	// IgnoreInapplicable drops fields that have no meaning for the event's
	// type (a score on a message), instead of rejecting the line.
	IgnoreInapplicable bool `json:"ignore_inapplicable,omitempty"`
}

// ParseMapping reads a [Mapping] from its JSON document. Unknown keys are
// errors; the mapping is checked as [MapFields] checks it.
func ParseMapping(data []byte) (Mapping, error) {
	var m Mapping
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&m); err != nil {
		return Mapping{}, invalidf("mapping", "%v", strings.TrimPrefix(err.Error(), "json: "))
	}
	if dec.More() {
		return Mapping{}, invalidf("mapping", "text after the JSON object")
	}
	if c := compileMapping(m); c.err != nil {
		return Mapping{}, c.err
	}
	return m, nil
}

// MapFields makes a reader apply m to every line (see [Mapping]). A mapping
// that is not valid (a rename to a name that is not a field of the format, a
// value that the field cannot hold, an input field both renamed and ignored)
// makes the reader's constructor fail.
func MapFields(m Mapping) ReaderOption { return compileMapping(m) }

func (m *fieldMap) applyReader(c *readerConfig) { c.mapping = m }

// fieldMap is a compiled Mapping.
type fieldMap struct {
	rename             map[string]target // input name → what it becomes
	values             [numFields]map[string]string
	ignoreUnknown      bool
	ignoreInapplicable bool
	err                error
}

// target is what an input field becomes: a field of the format, a dimension
// (f == fDims with dim set), or nothing (ignore).
type target struct {
	f      field
	dim    string
	ignore bool
}

func compileMapping(m Mapping) *fieldMap {
	c := &fieldMap{ignoreUnknown: m.IgnoreUnknown, ignoreInapplicable: m.IgnoreInapplicable}
	fail := func(format string, args ...any) *fieldMap {
		return &fieldMap{err: invalidf("mapping", format, args...)}
	}
	c.rename = make(map[string]target, len(m.Rename)+len(m.Ignore))
	for _, from := range slices.Sorted(maps.Keys(m.Rename)) {
		to := m.Rename[from]
		if from == "" || !utf8.ValidString(from) {
			return fail("rename: input field %s is empty or not valid UTF-8", quoteShort(from))
		}
		t := target{f: lookupField(to)}
		if t.f == fNone {
			name, ok := strings.CutPrefix(to, "dim.")
			if !ok || name == "" || !utf8.ValidString(name) {
				return fail("rename: %s → %s: not a field of the event file format or dim.NAME", quoteShort(from), quoteShort(to))
			}
			t = target{f: fDims, dim: name}
		}
		c.rename[from] = t
	}
	for _, name := range m.Ignore {
		if name == "" {
			return fail("ignore: empty field name")
		}
		if _, dup := c.rename[name]; dup {
			return fail("ignore: %s is also renamed or listed twice", quoteShort(name))
		}
		c.rename[name] = target{ignore: true}
	}
	for _, name := range slices.Sorted(maps.Keys(m.Values)) {
		f := lookupField(name)
		if f == fNone || f == fDims {
			return fail("values: %s is not a field of the event file format with values to map", quoteShort(name))
		}
		vm := m.Values[name]
		for _, from := range slices.Sorted(maps.Keys(vm)) {
			if err := checkMappedValue(f, vm[from]); err != nil {
				return fail("values: %s: %s → %s: %s", name, quoteShort(from), quoteShort(vm[from]), err.Reason)
			}
		}
		c.values[f] = vm
	}
	return c
}

// checkMappedValue checks that v is a value field f can take, so that a
// typo in a mapping is found when the reader is built rather than on every
// line; the other fields are checked on the line, with the line's number.
func checkMappedValue(f field, v string) *InputError {
	if v == "" {
		return nil
	}
	var p fieldParser
	var rec Record
	switch f {
	case fRole, fType, fSurvey, fScore, fHelpful, fPrivate, fAutomatic, fOutbound, fValue:
		return setField(&p, &rec, f, v)
	}
	if !utf8.ValidString(v) {
		return &InputError{Event: -1, Reason: "not valid UTF-8"}
	}
	return nil
}

// lookup returns what the input field name becomes; known is false for a
// name that is neither mapped nor a field of the format. With csvDims, a
// name "dim.NAME" is the dimension NAME (a CSV column). m may be nil.
func (m *fieldMap) lookup(name []byte, csvDims bool) (t target, known bool) {
	if m != nil {
		if t, ok := m.rename[string(name)]; ok {
			return t, true
		}
	}
	if csvDims {
		if dim, ok := bytes.CutPrefix(name, []byte("dim.")); ok && len(dim) > 0 {
			return target{f: fDims, dim: string(dim)}, true
		}
	}
	t.f = lookupField(name)
	if t.f == fNone {
		return target{ignore: m != nil && m.ignoreUnknown}, m != nil && m.ignoreUnknown
	}
	return t, true
}

// mapValue returns the value of field f that the input text b maps to.
func mapValueOf[T text](m *fieldMap, f field, b T) (string, bool) {
	if m == nil || m.values[f] == nil {
		return "", false
	}
	v, ok := m.values[f][string(b)]
	return v, ok
}

// dropInapplicable reports whether fields that do not apply to the event's
// type are dropped.
func (m *fieldMap) dropInapplicable() bool { return m != nil && m.ignoreInapplicable }

// unknownField is the error of an input field that is not mapped and not a
// field of the format.
func unknownField(name string, csv bool) *InputError {
	what := "unknown field"
	if csv {
		what = "header: unknown column"
	}
	return &InputError{Event: -1, Field: fieldLabel(name), kind: ErrUnknownField, Reason: what}
}

// fieldName names the input field of an error: the format's name, or
// "input (as name)" for a renamed one.
func fieldName(input []byte, t target) string {
	name := t.f.String()
	if t.f == fDims && t.dim != "" {
		name = "dim." + t.dim
	}
	if input == nil || string(input) == name {
		return name
	}
	return fmt.Sprintf("%s (as %s)", fieldLabel(string(input)), name)
}
