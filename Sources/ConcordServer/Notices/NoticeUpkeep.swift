import Logging
import ServiceLifecycle

/// Keeps a node's notices current between requests: brings in what other nodes wrote, so
/// document checks mention their red notices too, and expires published notices whose review
/// date has passed.
public struct NoticeUpkeep: Service {
    let book: NoticeBook
    let notices: NoticeService
    let pollInterval: Duration
    let logger: Logger

    public init(book: NoticeBook, notices: NoticeService, pollInterval: Duration, logger: Logger) {
        self.book = book
        self.notices = notices
        self.pollInterval = pollInterval
        self.logger = logger
    }

    public func run() async throws {
        await repeatUntilShutdown(
            every: pollInterval, logger: logger, failure: "notices could not be brought up to date"
        ) {
            try await book.catchUp()
            try await notices.expireDue()
        }
    }
}
