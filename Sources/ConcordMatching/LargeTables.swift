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

    /// Memory for one table of `byteCount` bytes, aligned to 16 bytes, for tables that are
    /// allocated and freed as they grow. From 2 MB on, the block is mapped on its own at a 2 MB
    /// boundary and its whole 2 MB pages are advised, so that its first bytes, where a table
    /// puts what is read most, sit in a large page; smaller blocks come from malloc.
    static func allocate(byteCount: Int) -> UnsafeMutableRawPointer {
        #if os(Linux)
        if byteCount >= huge { return mappedBlock(byteCount: byteCount) }
        #endif
        return UnsafeMutableRawPointer.allocate(byteCount: byteCount, alignment: 16)
    }

    /// Frees what `allocate(byteCount:)` returned for the same `byteCount`.
    static func deallocate(_ memory: UnsafeMutableRawPointer, byteCount: Int) {
        #if os(Linux)
        if byteCount >= huge {
            munmap(memory, pageRounded(byteCount))
            return
        }
        #endif
        memory.deallocate()
    }

    static let huge = 2 << 20

    #if os(Linux)
    /// A fresh mapping that starts at a 2 MB boundary.
    private static func mappedBlock(byteCount: Int) -> UnsafeMutableRawPointer {
        let length = pageRounded(byteCount)
        guard let reserved = mmap(nil, length + huge, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
            reserved != MAP_FAILED
        else { fatalError("out of memory: cannot map \(length) bytes") }
        // Only the aligned part is kept; the slack before and after goes back at once.
        let base = Int(bitPattern: reserved)
        let start = roundedUpToHuge(base)
        if start > base { munmap(reserved, start - base) }
        munmap(UnsafeMutableRawPointer(bitPattern: start + length), base + huge - start)
        let block = UnsafeMutableRawPointer(bitPattern: start)!
        adviseWholeHugePages(UnsafeMutableRawBufferPointer(start: block, count: length))
        return block
    }

    private static func pageRounded(_ byteCount: Int) -> Int {
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        return (byteCount + page - 1) & ~(page - 1)
    }
    #endif

    private static func advise(_ memory: UnsafeMutableRawBufferPointer) {
        #if os(Linux)
        guard memory.count >= threshold else { return }
        adviseWholeHugePages(memory)
        #endif
    }

    #if os(Linux)
    /// Advises the 2 MB pages that lie wholly inside `memory`.
    private static func adviseWholeHugePages(_ memory: UnsafeMutableRawBufferPointer) {
        guard let base = memory.baseAddress else { return }
        let start = roundedUpToHuge(Int(bitPattern: base))
        let end = (Int(bitPattern: base) + memory.count) & ~(huge - 1)
        guard end > start, let aligned = UnsafeMutableRawPointer(bitPattern: start) else { return }
        _ = madvise(aligned, end - start, MADV_HUGEPAGE)
    }

    private static func roundedUpToHuge(_ address: Int) -> Int {
        (address + huge - 1) & ~(huge - 1)
    }
    #endif
}
