import Synchronization

/// Tells the streams and the webhook dispatcher of this node that new alerts were stored, so
/// they look at once instead of at their next poll. Alerts written by other nodes are found by
/// polling.
public final class AlertSignal: Sendable {
    private let generation = Atomic<UInt64>(0)

    public init() {}

    public func notify() {
        generation.add(1, ordering: .releasing)
    }

    public var current: UInt64 { generation.load(ordering: .acquiring) }

    /// Returns when notified after `seen`, or once `timeout` has passed, or when cancelled.
    public func wait(after seen: UInt64, timeout: Duration) async {
        let deadline = ContinuousClock.now + timeout
        while current == seen && ContinuousClock.now < deadline && !Task.isCancelled {
            try? await Task.sleep(for: .milliseconds(50))
        }
    }
}
