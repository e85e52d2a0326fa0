#if canImport(Glibc)
import Glibc
#endif

/// Arrays of hundreds of megabytes that are read at random, one element here and one there.
///
/// With the usual 4 KB pages, each such read also misses the processor's page-table cache (it
/// covers a few megabytes), and the walk through the page tables costs about as much as the
/// read itself. On Linux these arrays' memory is advised for 2 MB pages (transparent huge
/// pages), which a few hundred table entries cover. The advice is given before the memory is
/// first written, because pages already made stay small; where the kernel declines, the arrays
/// work as before, only slower.
enum LargeTables {
    /// Below this, page-table misses are rare and the advice is not worth a system call.
    static let threshold = 8 << 20

    /// `count` copies of `value`.
    static func array<Element: BitwiseCopyable>(repeating value: Element, count: Int) -> [Element] {
        [Element](unsafeUninitializedCapacity: count) { buffer, initialized in
            advise(UnsafeMutableRawBufferPointer(buffer))
            buffer.initialize(repeating: value)
            initialized = count
        }
    }

    /// `elements`, with room for `capacity` in all.
    static func array<Element: BitwiseCopyable>(_ elements: [Element], capacity: Int) -> [Element] {
        // Appends up to the capacity write pages advised here.
        [Element](unsafeUninitializedCapacity: max(capacity, elements.count)) { buffer, initialized in
            advise(UnsafeMutableRawBufferPointer(buffer))
            initialized = buffer.initialize(fromContentsOf: elements)
        }
    }

    private static func advise(_ memory: UnsafeMutableRawBufferPointer) {
        #if os(Linux)
        guard memory.count >= threshold, let base = memory.baseAddress else { return }
        let huge = 2 << 20
        let start = (Int(bitPattern: base) + huge - 1) & ~(huge - 1)
        let end = (Int(bitPattern: base) + memory.count) & ~(huge - 1)
        guard end > start, let aligned = UnsafeMutableRawPointer(bitPattern: start) else { return }
        _ = madvise(aligned, end - start, MADV_HUGEPAGE)
        #endif
    }
}
