//go:build amd64 || arm64

package chatkpi

import "unsafe"

// prefetch asks the processor to bring the cache line at p into the
// cache, without waiting for it (PREFETCHT0, PRFM PLDL1KEEP): a hint that
// never faults and changes no memory.
//
//go:noescape
func prefetch(p unsafe.Pointer)

// prefetchSpan is prefetch of every 64-byte line of the n bytes at address
// p, which need not be memory of any allocation.
func prefetchSpan(p, n uintptr)
