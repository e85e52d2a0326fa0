#ifndef CONCORD_MEMORY_HINTS_H
#define CONCORD_MEMORY_HINTS_H

/// Asks the processor to start loading the cache line at `address`, without waiting for it:
/// unlike a load, a prefetch retires at once, so a loop may keep many misses in flight.
static inline void concord_prefetch(const void *address) {
    __builtin_prefetch(address, 0, 3);
}

#endif
