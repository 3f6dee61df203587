package chatkpi

import (
	"encoding/binary"
	"math"
)

// The binary encoding shared by every accumulator's MarshalBinary:
//
//	tag (1 byte, one per accumulator type) | version (1 byte) | payload
//
// The payload is a sequence of unsigned and zig-zag signed varints
// ([binary.AppendUvarint], [binary.AppendVarint]), IEEE-754 float64s in little
// endian and length-prefixed byte strings. Decoders reject a wrong tag or
// version, truncated input, trailing bytes and values that break the
// accumulator's invariants, with an error wrapping [ErrInvalid]; they never
// panic and never allocate more than the input can justify.

// wireVersion is the encoding version written by this release.
const wireVersion = 1

// Accumulator tags. Each accumulator type has its own so that a CSAT encoding
// is never decoded as an NPS one.
const (
	tagCSAT byte = 0x01 + iota
	tagNPS
	tagCES
	tagDurations
	tagSketch
	tagReport
	tagAssembler
	tagLiveReport
)

// encoder appends to a byte slice.
type encoder struct{ buf []byte }

func newEncoder(tag byte, sizeHint int) *encoder {
	e := &encoder{buf: make([]byte, 0, 2+sizeHint)}
	e.buf = append(e.buf, tag, wireVersion)
	return e
}

func (e *encoder) uvarint(v uint64) { e.buf = binary.AppendUvarint(e.buf, v) }
func (e *encoder) varint(v int64)   { e.buf = binary.AppendVarint(e.buf, v) }
func (e *encoder) float(f float64) {
	e.buf = binary.LittleEndian.AppendUint64(e.buf, math.Float64bits(f))
}
func (e *encoder) bytes(b []byte)  { e.uvarint(uint64(len(b))); e.buf = append(e.buf, b...) }
func (e *encoder) string(s string) { e.uvarint(uint64(len(s))); e.buf = append(e.buf, s...) }
func (e *encoder) bool(b bool)     { e.buf = append(e.buf, boolByte(b)) }
func (e *encoder) byte1(b byte)    { e.buf = append(e.buf, b) }
func (e *encoder) finish() []byte  { return e.buf }
func boolByte(b bool) byte {
	if b {
		return 1
	}
	return 0
}

// decoder reads what encoder wrote. The first error sticks: later reads
// return zero values, and err reports the first problem.
type decoder struct {
	buf  []byte
	off  int
	what string // the accumulator being decoded, for messages
	err  error
}

// newDecoder checks the tag and version and positions after them.
func newDecoder(data []byte, tag byte, what string) *decoder {
	d := &decoder{buf: data, what: what}
	if len(data) < 2 {
		d.fail("encoding is %d bytes, too short for a header", len(data))
		return d
	}
	if data[0] != tag {
		d.fail("tag 0x%02x is not the tag of a %s encoding (0x%02x)", data[0], what, tag)
		return d
	}
	if data[1] != wireVersion {
		d.fail("unsupported encoding version %d (this release reads %d)", data[1], wireVersion)
		return d
	}
	d.off = 2
	return d
}

func (d *decoder) fail(format string, args ...any) {
	if d.err == nil {
		d.err = invalidf(d.what, "at byte %d: "+format, append([]any{d.off}, args...)...)
	}
}

func (d *decoder) uvarint() uint64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Uvarint(d.buf[d.off:])
	if n <= 0 {
		d.fail("truncated or overlong varint")
		return 0
	}
	d.off += n
	return v
}

func (d *decoder) varint() int64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Varint(d.buf[d.off:])
	if n <= 0 {
		d.fail("truncated or overlong varint")
		return 0
	}
	d.off += n
	return v
}

// count reads a non-negative int64 (a count of items).
func (d *decoder) count() int64 {
	v := d.uvarint()
	if v > math.MaxInt64 {
		d.fail("count %d overflows int64", v)
		return 0
	}
	return int64(v)
}

// length reads a length prefix that must fit in the rest of the input, given
// that each element takes at least minElemSize bytes.
func (d *decoder) length(minElemSize int) int {
	v := d.uvarint()
	if d.err != nil {
		return 0
	}
	if minElemSize < 1 {
		minElemSize = 1
	}
	if v > uint64(len(d.buf)-d.off)/uint64(minElemSize) {
		d.fail("length %d exceeds the %d bytes left", v, len(d.buf)-d.off)
		return 0
	}
	return int(v)
}

// float reads a finite float64; NaN and ±Inf are rejected.
func (d *decoder) float() float64 {
	if d.err != nil {
		return 0
	}
	if len(d.buf)-d.off < 8 {
		d.fail("truncated float64")
		return 0
	}
	f := math.Float64frombits(binary.LittleEndian.Uint64(d.buf[d.off:]))
	if math.IsNaN(f) || math.IsInf(f, 0) {
		d.fail("float64 is %v", f)
		return 0
	}
	d.off += 8
	return f
}

func (d *decoder) bytes() []byte {
	n := d.length(1)
	if d.err != nil {
		return nil
	}
	b := d.buf[d.off : d.off+n : d.off+n]
	d.off += n
	return b
}

func (d *decoder) string() string { return string(d.bytes()) }

func (d *decoder) byte1() byte {
	if d.err != nil {
		return 0
	}
	if d.off >= len(d.buf) {
		d.fail("truncated")
		return 0
	}
	b := d.buf[d.off]
	d.off++
	return b
}

func (d *decoder) bool() bool {
	switch b := d.byte1(); b {
	case 0:
		return false
	case 1:
		return true
	default:
		d.fail("boolean byte is %d, not 0 or 1", b)
		return false
	}
}

// finish reports the first error, or an error if bytes are left over.
func (d *decoder) finish() error {
	if d.err == nil && d.off != len(d.buf) {
		d.fail("%d trailing bytes", len(d.buf)-d.off)
	}
	return d.err
}
