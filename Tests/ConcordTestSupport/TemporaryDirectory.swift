public import Foundation
import Synchronization

/// Creates a new, empty folder under the system temporary directory and returns its URL.
public func makeTemporaryDirectory(prefix: String = "concord-test") throws -> URL {
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("\(prefix)-\(UUID().uuidString.lowercased())", isDirectory: true)
    // No intermediate directories: creation must fail rather than silently reuse a folder that exists.
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: false)
    return url
}

/// Removes a folder and everything in it. Errors are ignored because callers use this for cleanup, where
/// a leftover temporary folder must not turn a passing test into a failing one.
public func removeDirectory(_ url: URL) {
    try? FileManager.default.removeItem(at: url)
}

/// A value shared between tasks of a test, behind a lock.
public final class Locked<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>

    public init(_ value: Value) { mutex = Mutex(value) }

    public func withLock<Result, Failure: Error>(
        _ body: (inout sending Value) throws(Failure) -> sending Result
    ) throws(Failure) -> sending Result {
        try mutex.withLock(body)
    }

    public var value: Value { mutex.withLock { $0 } }
}
