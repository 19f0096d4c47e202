// A point in time after which a wait gives up.  Every wait in ftpc has one.
#pragma once

#include <chrono>
#include <cstdint>

namespace ftpc::net {

class Deadline {
public:
    using Clock = std::chrono::steady_clock;

    static Deadline after_ms(int64_t ms) { return Deadline(Clock::now() + std::chrono::milliseconds(ms), ms); }

    // Milliseconds left, rounded up so a wait never ends early; 0 once passed.
    int remaining_ms() const
    {
        auto left = std::chrono::ceil<std::chrono::milliseconds>(at_ - Clock::now()).count();
        if (left <= 0)
            return 0;
        return left > INT32_MAX ? INT32_MAX : static_cast<int>(left);
    }

    bool expired() const { return Clock::now() >= at_; }
    int64_t budget_ms() const { return budget_ms_; }

private:
    Deadline(Clock::time_point at, int64_t budget) : at_(at), budget_ms_(budget) {}
    Clock::time_point at_;
    int64_t budget_ms_;
};

} // namespace ftpc::net
