package chatkpi

// slab hands out the growing slices of many conversations (their events,
// their lines) from large blocks, so that a conversation whose records come
// one after the other, as in grouped input, costs no allocation of its own:
// a slice that ends at the top of the current block grows in place. A slice
// that no longer ends there (its conversation's records interleave with
// others') moves to the heap with room for 16 elements, then grows as append
// grows it. The slices handed out have
// no room beyond their length, so an append by their user never writes over
// another's elements.
type slab[T any] struct {
	block []T // the current block; its length is what is handed out
}

const slabBlock = 4096 // elements per block

// append returns dst with v appended, as the built-in append does.
func (s *slab[T]) append(dst []T, v T) []T {
	n := len(dst)
	atTop := n > 0 && len(s.block) > 0 && &dst[n-1] == &s.block[len(s.block)-1]
	if n > 0 && !atTop {
		if n == cap(dst) { // grow at once past the few events most conversations have
			dst = append(make([]T, 0, max(2*n, 16)), dst...)
		}
		return append(dst, v)
	}
	if len(s.block) == cap(s.block) { // a new block; dst moves to it
		s.block = make([]T, 0, max(slabBlock, 2*(n+1)))
		s.block = append(s.block, dst...)
	}
	s.block = append(s.block, v)
	end := len(s.block)
	return s.block[end-n-1 : end : end]
}
