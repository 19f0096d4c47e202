// A replacement for the global operator new that fails the N-th allocation
// once armed: the test-only allocation hook of the fault-injection tests.
// It only exists in the test binary, which links the static libftpc, so the
// library's own allocations go through it.
#pragma once

#include <cstddef>

namespace ftpc::test {

// Fails the @p nth allocation from now on (1 = the next one); 0 disarms.
void fail_allocation(size_t nth) noexcept;

// Allocations counted since the last fail_allocation() call.
size_t allocations_seen() noexcept;

// Whether the armed failure has happened.
bool allocation_failed() noexcept;

} // namespace ftpc::test
