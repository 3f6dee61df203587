//go:build !amd64 && !arm64

package chatkpi

import "unsafe"

// prefetch does nothing on this architecture (see prefetch_asm.go).
func prefetch(unsafe.Pointer) {}

// prefetchSpan does nothing on this architecture (see prefetch_asm.go).
func prefetchSpan(p, n uintptr) {}
