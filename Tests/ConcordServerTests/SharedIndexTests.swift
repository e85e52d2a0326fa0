import Dispatch
import Foundation
import Testing

@testable import ConcordServer

@Suite("Shared index")
struct SharedIndexTests {
    /// Reader A, inside the index, waits for reader B to come in as well; under a lock that
    /// readers do not share, B would wait for A and A would give up. The waits run on threads
    /// of their own, and their bound only turns a hang into a failure.
    @Test("readers are inside at the same time, and a write is seen by the reads after it")
    func readersShare() async throws {
        let index = SharedIndex([1, 2, 3])
        let (aInside, bInside) = (DispatchSemaphore(value: 0), DispatchSemaphore(value: 0))
        let sawB = await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(
                    returning: index.read { _ in
                        aInside.signal()
                        return bInside.wait(timeout: .now() + 30) == .success
                    })
            }
            Thread.detachNewThread {
                aInside.wait()
                index.read { _ in bInside.signal() }
            }
        }
        #expect(sawB)
        index.write { $0.append(4) }
        #expect(index.read { $0 } == [1, 2, 3, 4])
    }
}
