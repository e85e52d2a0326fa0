import Logging
import ServiceLifecycle

/// Runs `work` every `interval` until the task is cancelled or the service group shuts down
/// gracefully. A failed round is logged and the next one tried: a node that cannot reach its
/// store for a moment must keep following it once it can.
func repeatUntilShutdown(
    every interval: Duration, logger: Logger, failure message: Logger.Message,
    _ work: @Sendable () async throws -> Void
) async {
    while !Task.isCancelled && !Task.isShuttingDownGracefully {
        do {
            try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        } catch {
            return
        }
        do {
            try await work()
        } catch {
            logger.error(message, metadata: ["error": "\(error)"])
        }
    }
}
