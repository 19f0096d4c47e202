#include "failing_allocator.hh"

#include <cstdlib>
#include <new>

namespace {

// Test-binary state: the replaced operator new has nowhere else to keep it.
struct Plan {
    size_t fail_at = 0;
    size_t seen = 0;
    bool failed = false;
};

Plan plan;

void *allocate(size_t size)
{
    if (plan.fail_at != 0 && ++plan.seen == plan.fail_at) {
        plan.failed = true;
        throw std::bad_alloc();
    }
    void *p = std::malloc(size == 0 ? 1 : size);
    if (p == nullptr)
        throw std::bad_alloc();
    return p;
}

} // namespace

namespace ftpc::test {

void fail_allocation(size_t nth) noexcept
{
    plan = Plan();
    plan.fail_at = nth;
}

size_t allocations_seen() noexcept { return plan.seen; }

bool allocation_failed() noexcept { return plan.failed; }

} // namespace ftpc::test

void *operator new(size_t size) { return allocate(size); }
void *operator new[](size_t size) { return allocate(size); }
void operator delete(void *p) noexcept { std::free(p); }
void operator delete[](void *p) noexcept { std::free(p); }
void operator delete(void *p, size_t) noexcept { std::free(p); }
void operator delete[](void *p, size_t) noexcept { std::free(p); }
