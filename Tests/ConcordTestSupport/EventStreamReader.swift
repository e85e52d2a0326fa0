import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Reads Server-Sent Events over a plain socket, the way any client would. The receive timeout
/// only turns a hang into a failure; it decides nothing.
///
/// Each read blocks a thread of its own, never one of the concurrency pool's: the server under
/// test may run in this process on that pool, which has as few threads as the machine has
/// cores, and a read holding one of them while waiting for that server could wait forever.
/// One task reads a stream at a time.
public final class EventStreamReader: @unchecked Sendable {
    public struct Event: Sendable {
        public var id = ""
        public var event = ""
        public var data = ""
    }

    private let socket: Int32
    private var buffer = ""
    private var isClosed = false

    public init(port: Int, key: String, lastEventID: String?) throws {
        socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var timeout = timeval(tv_sec: 30, tv_usec: 0)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else { throw CocoaError(.fileReadUnknown) }
        var request = "GET /v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(key)\r\n"
        if let lastEventID { request += "Last-Event-ID: \(lastEventID)\r\n" }
        request += "\r\n"
        _ = request.withCString { send(socket, $0, strlen($0), 0) }
    }

    /// The next event, skipping the response head and keep-alive comments.
    public func next() async throws -> Event {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread { continuation.resume(with: Result { try self.read() }) }
        }
    }

    private func read() throws -> Event {
        while true {
            if let range = buffer.range(of: "\n\n") {
                let block = String(buffer[..<range.lowerBound])
                buffer.removeSubrange(..<range.upperBound)
                var event = Event()
                for line in block.split(separator: "\n") {
                    if line.hasPrefix("id: ") { event.id = String(line.dropFirst(4)) }
                    if line.hasPrefix("event: ") { event.event = String(line.dropFirst(7)) }
                    if line.hasPrefix("data: ") { event.data = String(line.dropFirst(6)) }
                }
                if !event.id.isEmpty { return event }
                continue
            }
            var bytes = [UInt8](repeating: 0, count: 65536)
            let count = recv(socket, &bytes, bytes.count, 0)
            guard count > 0 else { throw CocoaError(.fileReadUnknown) }
            // Chunked transfer framing and CRLFs are noise to this line reader.
            buffer += String(decoding: bytes[..<count], as: UTF8.self).replacingOccurrences(of: "\r\n", with: "\n")
        }
    }

    /// Closes the connection; again is a no-op, so that a `defer` may close what the test
    /// already closed.
    public func close() {
        guard !isClosed else { return }
        isClosed = true
        Glibc.close(socket)
    }
}
